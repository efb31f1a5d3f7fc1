/**
 * Arrow IPC source, file and stream format alike: one partition per record batch.
 *
 * `describe` reads the footer (file format) or walks the message headers (stream format)
 * without reading any body (see ./ipc-index.ts). `read` reads that batch's message plus the
 * dictionary batches (only needed for dictionary-encoded columns). Flat uncompressed
 * batches are decoded directly from that one read (./direct.ts); others with apache-arrow,
 * the body decoded whole, then only the requested columns converted to internal columns.
 */
import * as arrow from 'apache-arrow';
import { decompressZstd } from 'hyparquet-compressors';
import { NotImplementedError, ParseError, SchemaError, TesseraError } from '../../core/errors.js';
import { arrowTypeToDType, recordBatchToBatch } from '../../core/arrow.js';
import type { Batch, Schema } from '../../core/types.js';
import { resolvePaths } from '../files.js';
import { openFile, readInto, readRange } from '../parquet/file.js';
import type { FormatReader, Partition, ReadOptions, SourceInfo, SourceSpec } from '../source.js';
import { ipcIndex, type IpcIndex } from './ipc-index.js';
import { decodeDirect } from './direct.js';

/** The message index of an IPC file, for tools that inspect files without decoding them. */
export { ipcIndex } from './ipc-index.js';

// Polars and pyarrow can write zstd-compressed IPC bodies; apache-arrow ships no codecs.
if (!arrow.compressionRegistry.get(arrow.CompressionType.ZSTD)) {
  arrow.compressionRegistry.set(arrow.CompressionType.ZSTD, { decode: (data: Uint8Array) => decompressZstd(data) });
}

function schemaOf(index: IpcIndex, path: string): Schema {
  const s: Schema = {};
  for (const f of index.schema.fields) {
    try {
      s[f.name] = arrowTypeToDType(f.type);
    } catch (e) {
      if (e instanceof NotImplementedError) throw new NotImplementedError(`${path}: column "${f.name}": ${e.message}`, { cause: e });
      throw e;
    }
  }
  return s;
}

async function describe(spec: SourceSpec): Promise<SourceInfo> {
  const files = await resolvePaths(spec.paths);
  let schema: Schema = {};
  const partitions: Partition[] = [];
  let seq = 0;
  for (const [fi, path] of files.entries()) {
    const index = await ipcIndex(path);
    const s = schemaOf(index, path);
    if (fi === 0) schema = s;
    else {
      const a = Object.entries(schema).map(([k, t]) => `${k}: ${t}`).join(', ');
      const b = Object.entries(s).map(([k, t]) => `${k}: ${t}`).join(', ');
      if (a !== b) throw new SchemaError(`Arrow files have different schemas: ${files[0]} has {${a}} but ${path} has {${b}}`);
    }
    index.batches.forEach((b, i) => {
      if (b.rows === 0) return;
      partitions.push({ seq: seq++, path, index: i, rows: b.rows, bytes: b.end - b.start, start: b.start, end: b.end });
    });
  }
  return { files, schema, partitions };
}

const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

async function read(_spec: SourceSpec, part: Partition, columns: string[], _schema?: Schema, opts: ReadOptions = {}): Promise<Batch> {
  const path = part.path;
  const index = await ipcIndex(path);
  const i = part.index ?? 0;
  const batch = index.batches[i];
  if (!batch) throw new ParseError(`${path}: record batch ${i} does not exist (the file has ${index.batches.length})`, { file: path });
  const names = index.schema.fields.map((f) => f.name);
  for (const c of columns) {
    if (!names.includes(c)) throw new SchemaError(`${path}: column "${c}" not found; the file has: ${names.join(', ')}`);
  }
  // a stream may replace dictionaries between batches: only those sent before this batch apply
  const hasDictionaries = index.schema.fields.some((f) => arrow.DataType.isDictionary(f.type));
  const dicts = hasDictionaries ? index.dictionaries.filter((d) => index.format === 'file' || d.start < batch.start) : [];
  const fh = await openFile(path);
  let parts: Uint8Array[];
  try {
    // the batch alone, into the caller's scratch buffer when it lends one (the direct path
    // returns views of these bytes)
    if (!hasDictionaries && opts.scratch) parts = [await readInto(fh, path, opts.scratch(batch.end - batch.start, batch.start), batch.start)];
    else parts = await Promise.all([...dicts, batch].map((r) => readRange(fh, path, r.start, r.end - r.start)));
  } finally {
    await fh.close();
  }
  if (!hasDictionaries) {
    try {
      const direct = decodeDirect(parts[parts.length - 1], index.schema, columns, opts.scratch !== undefined);
      if (direct) return direct;
    } catch (e) {
      if (e instanceof TesseraError) throw e;
      throw new ParseError(`${path}: corrupt Arrow IPC record batch ${i} at byte ${batch.start}: ${(e as Error).message}`, { file: path, offset: batch.start }, { cause: e });
    }
  }
  const total = index.schemaMessage.length + parts.reduce((s, p) => s + p.length, 0) + EOS.length;
  const bytes = new Uint8Array(total);
  bytes.set(index.schemaMessage, 0);
  let o = index.schemaMessage.length;
  for (const p of parts) { bytes.set(p, o); o += p.length; }
  bytes.set(EOS, o);
  try {
    const rbs = arrow.RecordBatchReader.from(bytes).readAll();
    const rb = rbs[rbs.length - 1];
    if (!rb) throw new Error('no record batch decoded');
    return recordBatchToBatch(rb, columns);
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    if (/compressed but codec not found/.test((e as Error).message)) {
      throw new NotImplementedError(`${path}: record batch ${i} is LZ4-compressed; only uncompressed and zstd-compressed Arrow IPC bodies are supported`, { cause: e });
    }
    throw new ParseError(`${path}: corrupt Arrow IPC record batch ${i} at byte ${batch.start}: ${(e as Error).message}`, { file: path, offset: batch.start }, { cause: e });
  }
}

/**
 * The Arrow IPC {@link FormatReader} for both the file and the stream format. Partitions are
 * record batches (file format: from the footer; stream format: found by walking the message
 * headers), each carrying its row count and byte range.
 * @example const info = await arrowReader.describe({ format: 'arrow', paths: ['data.arrow'], options: {} })
 */
export const arrowReader: FormatReader = { describe, read };
