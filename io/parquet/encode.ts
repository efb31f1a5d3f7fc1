/**
 * Encoding one internal column (one row group's worth) into a Parquet column chunk.
 *
 * Values are encoded from whole typed arrays: numbers as PLAIN (a byte copy, or a 64-bit
 * conversion through 32-bit words), strings and 32-bit integers as a dictionary when that
 * pays off and PLAIN otherwise, definition levels as one RLE run when a page has no nulls.
 * Data pages are v1 (the layout every reader supports); page headers and the footer use
 * hyparquet-writer's thrift serializer.
 */
import type { ColumnChunk, ColumnMetaData, Encoding, PageHeader, SchemaElement } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { float64ToInt64Words, packBits } from '../../core/bits.js';
import type { Column, DType } from '../../core/types.js';
import { compress, WASM_ZSTD_MAX, type WriteCodec } from './codecs.js';

/** Uncompressed bytes of values per data page. */
const PAGE_BYTES = 1 << 20;
/** A dictionary larger than this is not worth it (and must fit one zstd page). */
const DICT_MAX_BYTES = 1 << 20;

/** The Parquet schema element Tessera writes for a dtype. */
export function schemaElementFor(name: string, d: DType): SchemaElement {
  const e: SchemaElement = { name, repetition_type: 'OPTIONAL' };
  // Integer widths go in the converted type only: hyparquet-writer's thrift serializer writes
  // the INTEGER logical type's bitWidth as i32 where the spec has i8, which DuckDB rejects.
  switch (d) {
    case 'bool': e.type = 'BOOLEAN'; break;
    case 'int8': e.type = 'INT32'; e.converted_type = 'INT_8'; break;
    case 'int16': e.type = 'INT32'; e.converted_type = 'INT_16'; break;
    case 'int32': e.type = 'INT32'; break;
    case 'uint8': e.type = 'INT32'; e.converted_type = 'UINT_8'; break;
    case 'uint16': e.type = 'INT32'; e.converted_type = 'UINT_16'; break;
    case 'uint32': e.type = 'INT32'; e.converted_type = 'UINT_32'; break;
    case 'int64': e.type = 'INT64'; break;
    case 'uint64': e.type = 'INT64'; e.converted_type = 'UINT_64'; break;
    case 'float32': e.type = 'FLOAT'; break;
    case 'float64': e.type = 'DOUBLE'; break;
    case 'utf8': e.type = 'BYTE_ARRAY'; e.converted_type = 'UTF8'; e.logical_type = { type: 'STRING' }; break;
    case 'date': e.type = 'INT32'; e.converted_type = 'DATE'; e.logical_type = { type: 'DATE' }; break;
    // Not adjusted to UTC: read back as DuckDB's TIMESTAMP, matching the Arrow mapping in core/arrow.ts
    case 'timestamp': e.type = 'INT64'; e.logical_type = { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' }; break;
  }
  return e;
}

// ---------------------------------------------------------------------------------------
// small encoders

function varintBytes(v: number, out: number[]): void {
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
  out.push(v);
}

/** Definition levels of rows [a, b) as a length-prefixed RLE/bit-packed hybrid (width 1). */
function defLevels(valid: Uint8Array | undefined, a: number, b: number): Uint8Array {
  const n = b - a;
  const head: number[] = [];
  let body: Uint8Array;
  let allValid = !valid;
  if (valid) { allValid = true; for (let i = a; i < b; i++) if (!valid[i]) { allValid = false; break; } }
  if (allValid) {
    varintBytes(n * 2, head);
    body = new Uint8Array([1]);
  } else {
    const groups = Math.ceil(n / 8);
    varintBytes(groups * 2 + 1, head);
    body = packBits(valid!.subarray(a, b), n);
  }
  const len = head.length + body.length;
  const out = new Uint8Array(4 + len);
  new DataView(out.buffer).setUint32(0, len, true);
  out.set(head, 4);
  out.set(body, 4 + head.length);
  return out;
}

/** Bit-packs `n` non-negative ints of `width` bits as one bit-packed run (padded to 8). */
function bitPackedRun(v: Int32Array, n: number, width: number): Uint8Array {
  const head: number[] = [];
  const groups = Math.ceil(n / 8);
  varintBytes(groups * 2 + 1, head);
  const out = new Uint8Array(1 + head.length + groups * width);
  out[0] = width;
  out.set(head, 1);
  if (width === 0) return out.subarray(0, 1 + head.length);
  let p = 1 + head.length, acc = 0, bits = 0;
  for (let i = 0; i < groups * 8; i++) {
    const x = i < n ? v[i] : 0;
    // widths here are at most 20 (DICT_MAX_BYTES entries), so acc stays below 2^28
    acc |= x << bits;
    bits += width;
    while (bits >= 8) { out[p++] = acc & 0xff; acc >>>= 8; bits -= 8; }
  }
  return out;
}

/** Indices [a, b) of the non-null rows, or undefined when all rows are valid. */
function nonNullRows(valid: Uint8Array | undefined, a: number, b: number): Int32Array | undefined {
  if (!valid) return undefined;
  let k = 0;
  for (let i = a; i < b; i++) k += valid[i];
  if (k === b - a) return undefined;
  const idx = new Int32Array(k);
  k = 0;
  for (let i = a; i < b; i++) if (valid[i]) idx[k++] = i;
  return idx;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** PLAIN bytes of the fixed-width values at rows [a, b) (only `rows` when given). */
function plainFixed(c: Column, d: DType, a: number, b: number, rows?: Int32Array): Uint8Array {
  const n = rows ? rows.length : b - a;
  const src = c.values;
  switch (d) {
    case 'bool': {
      const v = new Uint8Array(n);
      if (rows) for (let i = 0; i < n; i++) v[i] = src[rows[i]]; else v.set(src.subarray(a, b) as Uint8Array);
      return packBits(v, n);
    }
    case 'int64': case 'uint64': case 'timestamp': {
      const words = new Int32Array(2 * n);
      if (rows) {
        const v = new Float64Array(n);
        for (let i = 0; i < n; i++) v[i] = src[rows[i]];
        float64ToInt64Words(v, words, n);
      } else float64ToInt64Words(src.subarray(a, b), words, n);
      return bytesOf(words);
    }
    case 'int8': case 'int16': case 'uint8': case 'uint16': {
      const v = new Int32Array(n);
      if (rows) for (let i = 0; i < n; i++) v[i] = src[rows[i]]; else v.set(src.subarray(a, b));
      return bytesOf(v);
    }
    default: {
      // int32, uint32 (same bits), date, float32, float64
      if (!rows) return bytesOf(src.subarray(a, b));
      const v = new (src.constructor as new (n: number) => typeof src)(n);
      for (let i = 0; i < n; i++) v[i] = src[rows[i]];
      return bytesOf(v);
    }
  }
}

/** PLAIN bytes (length-prefixed) of the strings at rows [a, b) (only `rows` when given). */
function plainStrings(c: Column, a: number, b: number, rows?: Int32Array): Uint8Array {
  const off = c.offsets!, src = c.values as Uint8Array;
  const n = rows ? rows.length : b - a;
  let total = 4 * n;
  if (rows) for (let i = 0; i < n; i++) total += off[rows[i] + 1] - off[rows[i]];
  else total += off[b] - off[a];
  const out = new Uint8Array(total);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : a + i;
    const s = off[r], len = off[r + 1] - s;
    out[p] = len & 0xff; out[p + 1] = (len >> 8) & 0xff; out[p + 2] = (len >> 16) & 0xff; out[p + 3] = (len >>> 24) & 0xff;
    p += 4;
    if (len < 16) for (let k = 0; k < len; k++) out[p + k] = src[s + k];
    else out.set(src.subarray(s, s + len), p);
    p += len;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// dictionary for strings

/** A column chunk's dictionary: the id of every valid row, each entry's first row, how many. */
interface Dict { ids: Int32Array; entries: Int32Array; count: number }

/**
 * Dictionary ids for every valid row of a utf8 column, via an open-addressing hash table over
 * the bytes; undefined when the column has too many distinct values for a dictionary to pay.
 */
function buildDictionary(c: Column): Dict | undefined {
  const n = c.length, off = c.offsets!, src = c.values as Uint8Array;
  const valid = c.nullCount > 0 ? c.valid! : undefined;
  const maxEntries = Math.max(16, n >> 1);
  let cap = 1024, mask = cap - 1;
  let table = new Int32Array(cap).fill(-1); // id per slot
  let entries = new Int32Array(256); // first-occurrence row per id
  let hashes = new Int32Array(256);
  const ids = new Int32Array(n);
  let count = 0, bytes = 0;
  for (let r = 0; r < n; r++) {
    if (valid !== undefined && valid[r] === 0) continue;
    const s = off[r], e = off[r + 1], len = e - s;
    let h = 0x811c9dc5 | 0;
    for (let k = s; k < e; k++) h = Math.imul(h ^ src[k], 0x01000193);
    let slot = h & mask;
    let id = table[slot];
    while (id >= 0) {
      if (hashes[id] === h) {
        const q = entries[id], qs = off[q];
        if (off[q + 1] - qs === len) {
          let k = 0;
          while (k < len && src[qs + k] === src[s + k]) k++;
          if (k === len) break;
        }
      }
      slot = (slot + 1) & mask;
      id = table[slot];
    }
    if (id >= 0) { ids[r] = id; continue; }
    if (count >= maxEntries) return undefined;
    bytes += 4 + len;
    if (bytes > DICT_MAX_BYTES) return undefined;
    if (count === entries.length) {
      const x = new Int32Array(count * 2); x.set(entries); entries = x;
      const y = new Int32Array(count * 2); y.set(hashes); hashes = y;
    }
    entries[count] = r;
    hashes[count] = h;
    table[slot] = count;
    ids[r] = count++;
    if (count * 2 > cap) {
      cap *= 2; mask = cap - 1;
      table = new Int32Array(cap).fill(-1);
      for (let q = 0; q < count; q++) {
        let sl = hashes[q] & mask;
        while (table[sl] >= 0) sl = (sl + 1) & mask;
        table[sl] = q;
      }
    }
  }
  return { ids, entries: entries.subarray(0, count), count };
}

// ---------------------------------------------------------------------------------------
// dictionary for integers

/** Integer types written as a dictionary when they have few distinct values (as DuckDB, Polars and pyarrow do). */
const INT_DICT_TYPES: ReadonlySet<DType> = new Set(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'date']);
/** Most entries of an integer dictionary: its ids then take at most 16 bits against 32 for PLAIN. */
const INT_DICT_MAX = 1 << 16;

/**
 * Dictionary ids for every valid row of a 32-bit (or narrower) integer column; undefined when
 * it has more than {@link INT_DICT_MAX} distinct values or more than a quarter of its rows.
 */
function buildIntDictionary(c: Column): Dict | undefined {
  const n = c.length, src = c.values;
  const valid = c.nullCount > 0 ? c.valid! : undefined;
  const most = Math.min(INT_DICT_MAX, Math.max(16, n >> 2));
  const idOf = new Map<number, number>();
  const ids = new Int32Array(n);
  let entries = new Int32Array(256);
  for (let r = 0; r < n; r++) {
    if (valid !== undefined && valid[r] === 0) continue;
    const v = src[r] as number;
    let id = idOf.get(v);
    if (id === undefined) {
      id = idOf.size;
      if (id >= most) return undefined;
      idOf.set(v, id);
      if (id === entries.length) { const x = new Int32Array(id * 2); x.set(entries); entries = x; }
      entries[id] = r;
    }
    ids[r] = id;
  }
  return { ids, entries: entries.subarray(0, idOf.size), count: idOf.size };
}

// ---------------------------------------------------------------------------------------
// statistics

function compareBytes(src: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) { const d = src[as + k] - src[bs + k]; if (d) return d; }
  return (ae - as) - (be - bs);
}

/** min/max over valid rows (strings: over `candidates` rows when given, e.g. dictionary entries). */
function minMax(c: Column, d: DType, candidates?: Int32Array): { min?: number | boolean | Uint8Array; max?: number | boolean | Uint8Array } {
  const valid = c.nullCount > 0 ? c.valid : undefined;
  if (d === 'utf8') {
    const off = c.offsets!, src = c.values as Uint8Array;
    let lo = -1, hi = -1;
    const visit = (r: number) => {
      if (lo < 0) { lo = hi = r; return; }
      if (compareBytes(src, off[r], off[r + 1], off[lo], off[lo + 1]) < 0) lo = r;
      else if (compareBytes(src, off[r], off[r + 1], off[hi], off[hi + 1]) > 0) hi = r;
    };
    if (candidates) for (let i = 0; i < candidates.length; i++) visit(candidates[i]);
    else for (let r = 0; r < c.length; r++) if (!valid || valid[r]) visit(r);
    if (lo < 0) return {};
    return { min: src.slice(off[lo], off[lo + 1]), max: src.slice(off[hi], off[hi + 1]) };
  }
  const v = c.values;
  let lo = Infinity, hi = -Infinity;
  for (let r = 0; r < c.length; r++) {
    if (valid && !valid[r]) continue;
    const x = v[r];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo > hi) return {};
  if (d === 'bool') return { min: lo === 1, max: hi === 1 };
  return { min: lo, max: hi };
}

// ---------------------------------------------------------------------------------------
// chunk

/** An encoded column chunk: its bytes (in order) and its metadata, with absolute offsets. */
export interface EncodedChunk { parts: Uint8Array[]; bytes: number; chunk: ColumnChunk }

interface RawPage { header: Omit<PageHeader, 'compressed_page_size' | 'uncompressed_page_size'>; body: Uint8Array }

/** Rows per data page so that a page holds about PAGE_BYTES of values. */
function pageCuts(c: Column, d: DType, dict: boolean): number[] {
  const n = c.length;
  const cuts = [0];
  if (d === 'utf8' && !dict) {
    const off = c.offsets!;
    let start = 0;
    for (let r = 1; r <= n; r++) {
      if (off[r] - off[start] + 4 * (r - start) >= PAGE_BYTES) { cuts.push(r); start = r; }
    }
    if (cuts[cuts.length - 1] !== n) cuts.push(n);
    return cuts;
  }
  const width = dict ? 1 : d === 'bool' ? 1 / 8 : c.values.BYTES_PER_ELEMENT === 8 || d === 'timestamp' ? 8 : 4;
  const per = Math.max(1024, Math.floor(PAGE_BYTES / width));
  for (let r = per; r < n; r += per) cuts.push(r);
  cuts.push(n);
  return cuts;
}

/**
 * Encodes `c` (all rows of one row group) as a column chunk starting at file offset `base`.
 * `codec` ZSTD falls back to GZIP for a chunk whose largest page exceeds what the wasm
 * codec can hold.
 */
export function encodeColumnChunk(name: string, c: Column, d: DType, base: number, codec: WriteCodec): EncodedChunk {
  const e = schemaElementFor(name, d);
  const valid = c.nullCount > 0 ? c.valid : undefined;
  const raw: RawPage[] = [];
  const encodings: Encoding[] = ['RLE'];
  let dictionary: Dict | undefined;
  if (d === 'utf8' && c.length > 0) dictionary = buildDictionary(c);
  else if (INT_DICT_TYPES.has(d) && c.length > 0) dictionary = buildIntDictionary(c);

  if (dictionary) {
    raw.push({
      header: { type: 'DICTIONARY_PAGE', dictionary_page_header: { num_values: dictionary.count, encoding: 'PLAIN' } } as RawPage['header'],
      body: d === 'utf8' ? plainStrings(c, 0, 0, dictionary.entries) : plainFixed(c, d, 0, 0, dictionary.entries),
    });
    encodings.push('PLAIN', 'RLE_DICTIONARY');
  } else encodings.push('PLAIN');

  const cuts = pageCuts(c, d, !!dictionary);
  const width = dictionary ? Math.max(1, 32 - Math.clz32(Math.max(0, dictionary.count - 1))) : 0;
  for (let p = 0; p + 1 < cuts.length; p++) {
    const a = cuts[p], b = cuts[p + 1];
    const rows = nonNullRows(valid, a, b);
    const levels = defLevels(valid, a, b);
    let values: Uint8Array;
    if (dictionary) {
      const m = rows ? rows.length : b - a;
      const ids = new Int32Array(m);
      if (rows) for (let i = 0; i < m; i++) ids[i] = dictionary.ids[rows[i]];
      else ids.set(dictionary.ids.subarray(a, b));
      values = bitPackedRun(ids, m, width);
    } else values = d === 'utf8' ? plainStrings(c, a, b, rows) : plainFixed(c, d, a, b, rows);
    const body = new Uint8Array(levels.length + values.length);
    body.set(levels);
    body.set(values, levels.length);
    raw.push({
      header: {
        type: 'DATA_PAGE',
        data_page_header: { num_values: b - a, encoding: dictionary ? 'RLE_DICTIONARY' : 'PLAIN', definition_level_encoding: 'RLE', repetition_level_encoding: 'RLE' },
      } as RawPage['header'],
      body,
    });
  }

  let chunkCodec = codec;
  if (codec === 'ZSTD' && raw.some((r) => r.body.length > WASM_ZSTD_MAX)) chunkCodec = 'GZIP';

  const parts: Uint8Array[] = [];
  let bytes = 0, uncompressed = 0;
  let dictOffset: number | undefined, dataOffset = -1;
  for (const r of raw) {
    const packed = compress(chunkCodec, r.body);
    const hw = new ByteWriter();
    writePageHeader(hw, { ...r.header, uncompressed_page_size: r.body.length, compressed_page_size: packed.length } as PageHeader);
    const head = hw.getBytes().slice();
    if (r.header.type === 'DICTIONARY_PAGE') dictOffset = base + bytes;
    else if (dataOffset < 0) dataOffset = base + bytes;
    parts.push(head, packed);
    bytes += head.length + packed.length;
    uncompressed += head.length + r.body.length;
  }
  if (dataOffset < 0) dataOffset = base;

  const { min, max } = minMax(c, d, d === 'utf8' ? dictionary?.entries : undefined);
  const meta: ColumnMetaData = {
    type: e.type!,
    encodings,
    path_in_schema: [name],
    codec: chunkCodec,
    num_values: BigInt(c.length),
    total_uncompressed_size: BigInt(uncompressed),
    total_compressed_size: BigInt(bytes),
    data_page_offset: BigInt(dataOffset),
    dictionary_page_offset: dictOffset === undefined ? undefined : BigInt(dictOffset),
    statistics: { null_count: BigInt(c.nullCount), min_value: min, max_value: max },
  };
  return { parts, bytes, chunk: { file_offset: BigInt(base), meta_data: meta } };
}
