/**
 * Parquet output, streamed: incoming batches are gathered until a row group is full
 * (`rowGroupSize` rows, default 1 Mi, or 256 MiB of column data), then that row group is
 * encoded and written immediately, so memory holds at most one row group. With the default
 * size, a batch of at least a quarter of it that arrives with nothing pending becomes a row
 * group of its own, which spares copying it. The footer is written on close, then the
 * temporary file is renamed into place (see sink.ts).
 */
import type { ColumnChunk, FileMetaData, RowGroup, SchemaElement } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { IOError, SchemaError, TesseraError } from '../../core/errors.js';
import { batchBytes, type Batch, type Column, type Schema } from '../../core/types.js';
import { concatColumns, sliceColumn } from '../../ops/column/take.js';
import { AtomicFile } from '../arrow/atomic-file.js';
import { loadZstd, type WriteCodec } from '../parquet/codecs.js';
import { encodeColumnChunk, schemaElementFor } from '../parquet/encode.js';
import type { Sink } from './sink.js';

/** Options of {@link openParquetSink}. */
export interface ParquetSinkOptions {
  /**
   * rows per row group (default 1,048,576). When given, every row group but the last has
   * exactly this many rows; by default large incoming batches are written as they come.
   */
  rowGroupSize?: number;
  /** page compression (default 'zstd') */
  compression?: 'zstd' | 'gzip' | 'snappy' | 'none';
}

const DEFAULT_ROW_GROUP = 1 << 20;
const MAX_PENDING_BYTES = 256 << 20;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

function codecOf(c: unknown): WriteCodec {
  switch (c ?? 'zstd') {
    case 'zstd': return 'ZSTD';
    case 'gzip': return 'GZIP';
    case 'snappy': return 'SNAPPY';
    case 'none': case 'uncompressed': return 'UNCOMPRESSED';
  }
  throw new SchemaError(`unknown Parquet compression "${String(c)}"; use 'zstd', 'gzip', 'snappy' or 'none'`);
}

/**
 * Opens a streaming Parquet sink. Types: int64 as INT64, timestamp as TIMESTAMP(MICROS),
 * date as DATE, utf8 as STRING (dictionary-encoded when that pays off), all columns nullable,
 * with per-row-group min/max/null-count statistics.
 *
 * Extra option keys (other per-call settings) are ignored.
 * @throws IOError naming `path` when the temporary file cannot be created (e.g. the
 *   directory does not exist); nothing is left behind then.
 * @example
 * const s = await openParquetSink('out.parquet', { id: 'int64', name: 'utf8' });
 * await s.write(batch); await s.close();
 */
export async function openParquetSink(path: string, schema: Schema, opts: ParquetSinkOptions & Record<string, unknown> = {}): Promise<Sink> {
  const codec = codecOf(opts.compression);
  const groupRows = opts.rowGroupSize ?? DEFAULT_ROW_GROUP;
  const directRows = opts.rowGroupSize === undefined ? groupRows >> 2 : Infinity;
  if (!Number.isInteger(groupRows) || groupRows < 1) throw new SchemaError(`rowGroupSize must be a positive integer, got ${String(opts.rowGroupSize)}`);
  if (codec === 'ZSTD' && !(await loadZstd())) throw new IOError(`cannot write ${path}: the zstd codec failed to load; pass compression: 'gzip'`, path);
  const names = Object.keys(schema);
  const file = await AtomicFile.create(path);
  const rowGroups: RowGroup[] = [];
  let totalRows = 0;
  let pending: Batch[] = [];
  let pendingRows = 0;
  let pendingBytes = 0;
  let failed = false;

  try {
    await file.write(MAGIC);
  } catch (e) {
    await file.discard();
    throw e;
  }

  /** Writes rows [0, n) of the pending batches as one row group and keeps the rest pending. */
  async function flush(n: number): Promise<void> {
    const cols: Record<string, Column> = {};
    const rest: Batch[] = [];
    let restRows = 0;
    if (pending.length === 1 && pending[0].length === n) {
      Object.assign(cols, pending[0].columns);
    } else {
      // take whole batches while they fit, then split the one that straddles the boundary
      const take: Batch[] = [];
      let got = 0;
      for (const b of pending) {
        if (got >= n) { rest.push(b); restRows += b.length; continue; }
        if (got + b.length <= n) { take.push(b); got += b.length; continue; }
        const k = n - got;
        const head: Batch = { length: k, columns: {} }, tail: Batch = { length: b.length - k, columns: {} };
        for (const name of names) {
          head.columns[name] = sliceColumn(b.columns[name], 0, k);
          tail.columns[name] = sliceColumn(b.columns[name], k, b.length);
        }
        take.push(head); rest.push(tail); restRows += tail.length; got = n;
      }
      for (const name of names) cols[name] = concatColumns(take.map((b) => b.columns[name]));
    }
    pending = rest;
    pendingRows = restRows;
    pendingBytes = rest.reduce((s, b) => s + batchBytes(b), 0);

    const start = file.offset;
    const columns: ColumnChunk[] = [];
    let uncompressed = 0n;
    for (const name of names) {
      const enc = encodeColumnChunk(name, cols[name], schema[name], file.offset, codec);
      await file.write(...enc.parts);
      columns.push(enc.chunk);
      uncompressed += enc.chunk.meta_data!.total_uncompressed_size;
    }
    rowGroups.push({
      columns,
      num_rows: BigInt(n),
      total_byte_size: uncompressed,
      file_offset: BigInt(start),
      total_compressed_size: BigInt(file.offset - start),
    });
    totalRows += n;
  }

  function checkBatch(b: Batch): void {
    for (const name of names) {
      const c = b.columns[name];
      if (!c) throw new SchemaError(`cannot write ${path}: batch has no column "${name}"; it has: ${Object.keys(b.columns).join(', ')}`);
      if (c.type !== schema[name]) throw new SchemaError(`cannot write ${path}: column "${name}" is ${c.type}, the schema says ${schema[name]}`);
      if (c.length !== b.length) throw new SchemaError(`cannot write ${path}: column "${name}" has ${c.length} rows, the batch ${b.length}`);
    }
  }

  async function guarded<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      failed = true;
      if (e instanceof TesseraError) throw e;
      throw new IOError(`cannot write ${path}: ${(e as Error).message}`, path, { cause: e });
    }
  }

  return {
    async write(batch: Batch): Promise<void> {
      if (failed) throw new IOError(`cannot write ${path}: an earlier write failed`, path);
      if (batch.length === 0) return;
      checkBatch(batch);
      await guarded(async () => {
        if (pendingRows === 0 && batch.length >= directRows && batch.length <= groupRows) {
          pending = [batch];
          pendingRows = batch.length;
          await flush(batch.length);
          return;
        }
        pending.push(batch);
        pendingRows += batch.length;
        pendingBytes += batchBytes(batch);
        while (pendingRows >= groupRows) await flush(groupRows);
        if (pendingBytes >= MAX_PENDING_BYTES && pendingRows > 0) await flush(pendingRows);
      });
    },

    async close(): Promise<void> {
      if (failed) throw new IOError(`cannot close ${path}: an earlier write failed`, path);
      await guarded(async () => {
        if (pendingRows > 0) await flush(pendingRows);
        const elements: SchemaElement[] = [{ name: 'schema', num_children: names.length }, ...names.map((n) => schemaElementFor(n, schema[n]))];
        const meta: FileMetaData = {
          version: 2,
          schema: elements,
          num_rows: BigInt(totalRows),
          row_groups: rowGroups,
          created_by: 'tessera',
          metadata_length: 0,
        };
        const w = new ByteWriter();
        writeMetadata(w, meta);
        w.appendBytes(MAGIC);
        await file.write(w.getBytes());
        await file.commit();
      }).catch(async (e) => { await file.discard(); throw e; });
    },

    async abort(): Promise<void> {
      failed = true;
      pending = [];
      await file.discard();
    },
  };
}
