/**
 * The contract between the planner and the readers.
 *
 * A source is described by a plain JSON {@link SourceSpec}. On the coordinator,
 * `describe(spec)` expands globs, reads/infers the schema and cuts the input into
 * {@link Partition}s (also plain JSON, so they can be shipped to a worker). A worker then
 * calls `read(spec, partition, columns)` which reads the partition's own bytes and decodes
 * only the requested columns.
 */
import type { Batch, DType, Schema } from '../core/types.js';
import type { ScratchAlloc } from './scratch.js';
import type { CompressionCodec } from 'hyparquet';
import type { Leaf } from './parquet/schema.js';

export type SourceFormat = 'csv' | 'parquet' | 'arrow' | 'memory' | 'text' | 'json';

export interface CsvOptions {
  header?: boolean;
  delimiter?: string;
  quote?: string;
  nullValues?: string[];
  compression?: 'infer' | 'none' | 'gzip' | 'zstd';
  /** bytes per partition */
  blocksize?: number;
  /** user overrides of the inferred types (partial) */
  schema?: Record<string, DType>;
}

export interface SourceSpec {
  format: SourceFormat;
  /** paths or globs as the user wrote them */
  paths: string[];
  options: CsvOptions & { columns?: string[] } & Record<string, unknown>;
  /** memory sources only: an id in the coordinator's registry */
  memoryId?: number;
}

/** Per-column statistics of a partition (Parquet row-group stats), used for pruning. */
export interface ColumnStats { min?: number | string | null; max?: number | string | null; nullCount?: number }

export interface Partition {
  /** position of the partition in source order (0-based, over all files of the source) */
  seq: number;
  path: string;
  /** CSV/text: byte range [start, end) of whole rows; for compressed input the whole file */
  start?: number;
  end?: number;
  /** CSV: 1-based line number of the first row in this partition, when known (for error messages) */
  firstLine?: number;
  /**
   * CSV: [start, end) is a nominal range the reader turns into whole rows (io/csv/nominal.ts);
   * `firstInFile` marks the range that starts at the file's first data row, `startParity` the
   * parity of the quote bytes before `start` (0 unless a first read found otherwise).
   */
  nominal?: boolean;
  firstInFile?: boolean;
  startParity?: number;
  /** Parquet: row group index; Arrow: record batch index */
  index?: number;
  /** rows in the partition when known up front (Parquet, Arrow file) */
  rows?: number;
  /** bytes the partition covers on disk when known */
  bytes?: number;
  stats?: Record<string, ColumnStats>;
  /**
   * Parquet: what reading the row group needs from the file's footer, taken when the source
   * was described, so the thread that reads it need not read and parse the footer again;
   * valid while the file has this size and modification time.
   */
  footer?: { size: number; mtimeMs: number; chunks: Record<string, ParquetChunkRef> };
}

/** Parquet: where a column chunk of a row group lies, how it is compressed, and its column's leaf (io/parquet/schema.ts). */
export interface ParquetChunkRef {
  start: number;
  end: number;
  codec: CompressionCodec;
  uncompressed: number;
  leaf: Leaf;
}

export interface SourceInfo {
  /** resolved file paths in order */
  files: string[];
  schema: Schema;
  partitions: Partition[];
}

export interface ReadOptions {
  /**
   * Columns the caller accepts in dictionary-encoded form (Column.dictionary): utf8 group keys,
   * numbers only sum/mean/min/max/count read; readers that hold dictionary-encoded data return it as is for these.
   */
  dictionary?: string[];
  /** Counters the reader adds to while reading (reported in task metrics). */
  stats?: ReadStats;
  /**
   * Allocates the buffer the raw bytes are read into when nothing decoded may outlive the
   * task (its sinks consume every batch: aggregates); readers may then return columns that
   * are views of it. See io/scratch.ts.
   */
  scratch?: ScratchAlloc;
}

/** What a reader noticed while reading a partition without failing. */
export interface ReadStats {
  /** invalid UTF-8 sequences replaced by U+FFFD (text and JSON sources) */
  invalidUtf8: number;
  /** CSV nominal partitions: quote bytes in the nominal range (see io/csv/nominal.ts) */
  quotes?: number;
}

/** Reader of one file format. */
export interface FormatReader {
  describe(spec: SourceSpec): Promise<SourceInfo>;
  /** Optional: loads codecs (wasm) ahead of the first read, e.g. when a worker pool starts. */
  warm?(): Promise<void>;
  /** Reads one partition, decoding only `columns` (in that order). */
  read(spec: SourceSpec, part: Partition, columns: string[], schema: Schema, opts?: ReadOptions): Promise<Batch>;
}
