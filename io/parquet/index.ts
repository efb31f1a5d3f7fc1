/**
 * Parquet source: one partition per row group, decoded column by column.
 *
 * `describe` reads only footers; `read` reads only the byte ranges of the requested column
 * chunks of one row group. Supported: flat columns of the types listed in ./schema.ts, data
 * pages v1 and v2, PLAIN / dictionary / RLE / delta / byte-stream-split encodings, and the
 * snappy, gzip, brotli, zstd and lz4 codecs.
 */
import type { FileMetaData } from 'hyparquet';
import { NotImplementedError, ParseError, SchemaError } from '../../core/errors.js';
import type { Batch, Column, Schema } from '../../core/types.js';
import { resolvePaths } from '../files.js';
import type { FormatReader, ParquetChunkRef, Partition, ReadOptions, SourceInfo, SourceSpec } from '../source.js';
import { loadZstd } from './codecs.js';
import { loadCodeKernels } from '../../ops/kernels/wasm/codes.js';
import { decodeChunk, PageError } from './decode.js';
import { loadIndexKernel } from './hybrid-wasm.js';
import { fileMetadata, openFile, readRange, type OpenFile } from './file.js';
import { leavesOf, rowGroupStats, schemaOf, type Leaf } from './schema.js';

/** Footer-level helpers, for tools that inspect Parquet files without reading them. */
export { leavesOf, rowGroupStats } from './schema.js';
export { fileMetadata } from './file.js';

const FOOTER_CONCURRENCY = 16;

function requestedColumns(spec: SourceSpec): string[] | undefined {
  const c = spec.options.columns;
  if (c === undefined) return undefined;
  if (!Array.isArray(c) || c.some((x) => typeof x !== 'string')) throw new SchemaError('readParquet option "columns" must be an array of column names');
  return c;
}

function checkColumns(names: string[], leaves: Map<string, Leaf>, meta: FileMetaData, path: string): void {
  for (const n of names) {
    if (!leaves.has(n)) {
      const all = meta.schema.slice(1).filter((e) => e.name !== undefined).map((e) => e.name);
      throw new SchemaError(`${path}: column "${n}" not found; the file has: ${all.join(', ')}`);
    }
  }
}

/** Where a column chunk lies ([start, end) in the file), how it is compressed, and its leaf. */
function chunkRef(rg: FileMetaData['row_groups'][number], leaf: Leaf, path: string): ParquetChunkRef {
  const cc = rg.columns[leaf.chunk];
  const md = cc?.meta_data;
  if (!md) throw new ParseError(`${path}: column "${leaf.name}" has no column chunk metadata`, { file: path, column: leaf.name });
  if (cc.file_path) throw new NotImplementedError(`${path}: column "${leaf.name}" is stored in another file (${cc.file_path}); external column chunks are not supported`);
  const data = Number(md.data_page_offset);
  const dict = md.dictionary_page_offset ? Number(md.dictionary_page_offset) : 0;
  const start = dict > 0 && dict < data ? dict : data;
  return { start, end: start + Number(md.total_compressed_size), codec: md.codec, uncompressed: Number(md.total_uncompressed_size), leaf };
}

async function describe(spec: SourceSpec): Promise<SourceInfo> {
  const files = await resolvePaths(spec.paths);
  const only = requestedColumns(spec);
  const metas: { meta: FileMetaData; leaves: Map<string, Leaf>; size: number; mtimeMs: number }[] = new Array(files.length);
  for (let i = 0; i < files.length; i += FOOTER_CONCURRENCY) {
    await Promise.all(files.slice(i, i + FOOTER_CONCURRENCY).map(async (f, k) => {
      const { meta, size, mtimeMs } = await fileMetadata(f);
      const leaves = leavesOf(meta, f, only);
      if (only) checkColumns(only, leaves, meta, f);
      metas[i + k] = { meta, leaves, size, mtimeMs };
    }));
  }
  let schema: Schema = {};
  const partitions: Partition[] = [];
  let seq = 0;
  files.forEach((path, fi) => {
    const { meta, leaves, size, mtimeMs } = metas[fi];
    const s = schemaOf(leaves, only);
    if (fi === 0) schema = s;
    else checkSameSchema(schema, s, files[0], path);
    meta.row_groups.forEach((rg, index) => {
      const rows = Number(rg.num_rows);
      if (rows === 0) return;
      let bytes = 0;
      const chunks: Record<string, ParquetChunkRef> = {};
      for (const l of leaves.values()) {
        const ref = chunks[l.name] = chunkRef(rg, l, path);
        bytes += ref.end - ref.start;
      }
      partitions.push({ seq: seq++, path, index, rows, bytes, stats: rowGroupStats(rg, leaves.values()), footer: { size, mtimeMs, chunks } });
    });
  });
  return { files, schema, partitions };
}

function checkSameSchema(a: Schema, b: Schema, fa: string, fb: string): void {
  const ka = Object.keys(a), kb = Object.keys(b);
  const same = ka.length === kb.length && ka.every((k, i) => kb[i] === k && a[k] === b[k]);
  if (!same) {
    const fmt = (s: Schema) => Object.entries(s).map(([k, t]) => `${k}: ${t}`).join(', ');
    throw new SchemaError(`Parquet files have different schemas: ${fa} has {${fmt(a)}} but ${fb} has {${fmt(b)}}`);
  }
}

/**
 * The chunks of `columns` in the partition's row group, from the footer facts the partition
 * carries when the file is unchanged since it was described, else from the file's footer.
 */
async function chunkPlans(fh: OpenFile, part: Partition, columns: string[]): Promise<{ rows: number; size: number; plans: ParquetChunkRef[] }> {
  const path = part.path, index = part.index ?? 0, ref = part.footer;
  if (ref && part.rows !== undefined && columns.every((c) => ref.chunks[c] !== undefined)) {
    const st = await fh.stat();
    if (st.size === ref.size && st.mtimeMs === ref.mtimeMs) return { rows: part.rows, size: ref.size, plans: columns.map((c) => ref.chunks[c]) };
  }
  const { meta, size } = await fileMetadata(path, fh);
  const leaves = leavesOf(meta, path, columns);
  checkColumns(columns, leaves, meta, path);
  const rg = meta.row_groups[index];
  if (!rg) throw new ParseError(`${path}: row group ${index} does not exist (the file has ${meta.row_groups.length})`, { file: path });
  const rows = Number(rg.num_rows);
  return { rows, size, plans: columns.map((c) => chunkRef(rg, leaves.get(c)!, path)) };
}

async function read(spec: SourceSpec, part: Partition, columns: string[], _schema?: Schema, opts: ReadOptions = {}): Promise<Batch> {
  const path = part.path;
  let fh: OpenFile | undefined;
  try {
    fh = await openFile(path);
    const index = part.index ?? 0;
    const { rows, size, plans } = await chunkPlans(fh, part, columns);
    if (!(rows >= 0 && rows < 2 ** 31)) throw new ParseError(`${path}: corrupt Parquet footer: row group ${index} claims ${rows} rows`, { file: path });
    for (const { leaf, start, end } of plans) {
      if (start < 4 || end > size - 8 || end < start) {
        throw new ParseError(`${path}: column "${leaf.name}" of row group ${index} lies at bytes ${start}..${end}, outside the ${size}-byte file (truncated or corrupt)`, { file: path, offset: start, column: leaf.name });
      }
    }
    const zstd = plans.some((r) => r.codec === 'ZSTD') ? loadZstd() : undefined;
    const chunks = await Promise.all(plans.map((r) => readRange(fh!, path, r.start, r.end - r.start)));
    await zstd;
    const out: Record<string, Column> = {};
    plans.forEach(({ leaf, start, codec, uncompressed }, i) => {
      try {
        // codes for a task whose decoded data does not outlive it go to the thread's reused arrays
        out[leaf.name] = decodeChunk(chunks[i], leaf, codec, rows, uncompressed, opts.dictionary?.includes(leaf.name) ?? false, opts.scratch?.int32);
      } catch (e) {
        const off = e instanceof PageError ? start + e.offset : start;
        throw new ParseError(`${path}: corrupt Parquet data in column "${leaf.name}", row group ${index}, at byte ${off}: ${(e as Error).message}`, { file: path, offset: off, column: leaf.name }, { cause: e });
      }
    });
    return { length: rows, columns: out };
  } finally {
    await fh?.close();
  }
}

/**
 * The Parquet {@link FormatReader}: partitions are row groups (with their min/max/null
 * statistics for pruning), `read` decodes only the requested columns of one row group.
 * `spec.options.columns` restricts (and orders) the schema.
 * @example const info = await parquetReader.describe({ format: 'parquet', paths: ['f.parquet'], options: {} })
 */
export const parquetReader: FormatReader = {
  describe,
  read,
  // the codecs and kernels, and the kernel memory, before the first row group
  warm: async () => { loadIndexKernel(); loadCodeKernels(); await loadZstd(); },
};
