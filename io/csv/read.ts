/**
 * `read` for CSV: one partition's bytes -> a Batch of only the requested columns.
 */
import { open } from 'node:fs/promises';
import { IOError, SchemaError } from '../../core/errors.js';
import type { Batch, Column, Schema } from '../../core/types.js';
import { detectCompression, readDecompressed } from '../compress.js';
import type { Partition, ReadStats, SourceSpec } from '../source.js';
import { loadNominal } from './nominal.js';
import { withScratch, type ScratchAlloc } from '../scratch.js';
import { decodeColumn } from './decode.js';
import { resolveDialect, type Dialect } from './dialect.js';
import { CsvIssue, toParseError, type BufferPlace } from './issue.js';
import { dataStartOf } from './sample.js';
import { tokenize } from './tokenize.js';

/** The partition's bytes plus a line feed sentinel, and where parsing starts and ends in them. */
interface Loaded { buf: Buffer; from: number; to: number; place: BufferPlace }

async function loadRange(path: string, start: number, end: number, firstLine: number | undefined, alloc: ScratchAlloc): Promise<Loaded> {
  const len = end - start;
  const buf = alloc(len + 1, start);
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e }); }
  try {
    let n = 0;
    while (n < len) {
      const { bytesRead } = await fh.read(buf, n, len - n, start + n);
      if (bytesRead === 0) throw new IOError(`${path} is shorter than when it was described (it changed while being read)`, path);
      n += bytesRead;
    }
  } finally {
    await fh.close();
  }
  buf[len] = 10;
  return { buf, from: 0, to: len, place: { file: path, buf, base: start, firstLine } };
}

async function loadNominalRows(part: Partition, d: Dialect, alloc: ScratchAlloc, stats?: ReadStats): Promise<Loaded> {
  const r = await loadNominal(part, d.quote, stats, alloc);
  // line numbers are known only from the file's first row on
  return { buf: r.buf, from: r.from, to: r.to, place: { file: part.path, buf: r.buf, base: r.base, firstLine: part.firstInFile ? part.firstLine : undefined } };
}

async function loadCompressed(path: string, d: Dialect): Promise<Loaded> {
  const compression = detectCompression(path, d.compression);
  const data = await readDecompressed(path, compression, { spare: 1 });
  const len = data.length - 1;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  buf[len] = 10;
  const place: BufferPlace = { file: path, buf, base: 0, firstLine: 1, decompressed: true };
  let from: number;
  try {
    from = dataStartOf(buf, len, d);
  } catch (e) {
    if (e instanceof CsvIssue) throw await toParseError(e, place);
    throw e;
  }
  return { buf, from, to: len, place };
}

/**
 * Parses partition `part` of a CSV source, decoding only `columns` (in that order) with the
 * types of `schema` (the whole source schema, in file column order).
 * @throws ParseError naming file, line, byte offset and column for malformed data;
 *   SchemaError for a requested column the source does not have.
 * @example const batch = await readCsvPartition(spec, info.partitions[0], ['id1', 'v1'], info.schema)
 */
export async function readCsvPartition(spec: SourceSpec, part: Partition, columns: string[], schema: Schema, stats?: ReadStats, scratch?: ScratchAlloc): Promise<Batch> {
  const d = resolveDialect(spec.options);
  const names = Object.keys(schema);
  const nFields = names.length;
  const slotOf = new Int32Array(nFields).fill(-1);
  const slotFields: number[] = [];
  for (const c of columns) {
    const f = names.indexOf(c);
    if (f < 0) throw new SchemaError(`unknown column "${c}"; valid columns: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
    if (slotOf[f] < 0) { slotOf[f] = slotFields.length; slotFields.push(f); }
  }
  const compressed = detectCompression(part.path, d.compression) !== 'none';
  // the raw bytes are decoded into fresh columns: the thread's scratch buffer can hold them
  // (the caller's, when it already holds the lease)
  const withBuffer = <T>(fn: (alloc: ScratchAlloc) => Promise<T>): Promise<T> => (scratch ? fn(scratch) : withScratch(fn));
  return withBuffer(async (alloc) => {
    const { buf, from, to, place } = compressed
      ? await loadCompressed(part.path, d)
      : part.nominal ? await loadNominalRows(part, d, alloc, stats)
      : await loadRange(part.path, part.start ?? 0, part.end ?? 0, part.firstLine, alloc);
    try {
      const idx = tokenize(buf, from, to, d, nFields, slotOf, slotFields.length);
      const out: Record<string, Column> = {};
      const bySlot = slotFields.map((f, s) => decodeColumn(buf, idx, s, names[f], schema[names[f]], d));
      for (const c of columns) out[c] = bySlot[slotOf[names.indexOf(c)]];
      return { length: idx.rows, columns: out };
    } catch (e) {
      if (e instanceof CsvIssue) throw await toParseError(e, place);
      throw e;
    }
  });
}
