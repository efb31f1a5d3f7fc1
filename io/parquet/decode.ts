/**
 * Decoding one column chunk (all pages of one column in one row group) into an internal
 * column, directly into typed arrays.
 *
 * hyparquet's own page reader builds JS arrays and strings per value; here only its page
 * header parser and its rarer decoders (delta, byte-stream-split) are reused, while the
 * common paths (PLAIN, dictionary indices, definition levels) write straight into the
 * output arrays: strings stay UTF-8 bytes and 64-bit integers are converted from their
 * 32-bit halves without BigInt.
 */
import type { CompressionCodec, PageHeader } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import { allocValues, type Column, type NumericArray } from '../../core/types.js';
import { int64WordsToFloat64, nanosWordsToMicros } from '../../core/arrow.js';
import { decompress } from './codecs.js';
import { readHybrid } from './rle.js';
import type { Leaf } from './schema.js';

/** Dense (null-free) UTF-8 values: offsets start at 0. */
interface Utf8Dense { offsets: Int32Array; bytes: Uint8Array }
type Dense = NumericArray | Utf8Dense;

const isUtf8 = (d: Dense): d is Utf8Dense => (d as Utf8Dense).offsets !== undefined;

/** Thrown for malformed pages; the caller adds file, column and offset. */
export class PageError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

// ---------------------------------------------------------------------------------------
// PLAIN values

/** A fresh, aligned copy (a Node Buffer's slice() would be a view). */
function copyOf(b: Uint8Array, pos: number, len: number): Uint8Array {
  return new Uint8Array(b.subarray(pos, pos + len));
}

function int32View(b: Uint8Array, pos: number, n: number): Int32Array {
  return ((b.byteOffset + pos) & 3) === 0
    ? new Int32Array(b.buffer, b.byteOffset + pos, n)
    : new Int32Array(copyOf(b, pos, 4 * n).buffer);
}

function need(pos: number, bytes: number, end: number): void {
  if (pos + bytes > end) throw new Error(`page data too short: need ${bytes} bytes at ${pos}, page ends at ${end}`);
}

/** 64-bit integers as int32 word pairs -> float64 in the leaf's units. */
function wordsToUnits(words: Int32Array, n: number, leaf: Leaf): Float64Array {
  const out = new Float64Array(n);
  switch (leaf.conv) {
    case 'nanos': nanosWordsToMicros(words, out, n); break;
    case 'uint64': int64WordsToFloat64(words, out, n, true); break;
    default: int64WordsToFloat64(words, out, n, false);
  }
  if (leaf.conv === 'millis') for (let i = 0; i < n; i++) out[i] *= 1000;
  else if (leaf.conv === 'decimal' && leaf.scale) { const f = 10 ** leaf.scale; for (let i = 0; i < n; i++) out[i] /= f; }
  return out;
}

function int32ToUnits(v: Int32Array, leaf: Leaf): NumericArray {
  if (leaf.conv !== 'decimal') return v;
  const out = new Float64Array(v.length);
  const f = 10 ** leaf.scale;
  for (let i = 0; i < v.length; i++) out[i] = v[i] / f;
  return out;
}

function utf8FromParts(parts: ArrayLike<Uint8Array>, n: number): Utf8Dense {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) { total += parts[i].length; offsets[i + 1] = total; }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) bytes.set(parts[i], offsets[i]);
  return { offsets, bytes };
}

/** `n` PLAIN-encoded values at b[pos, end). */
function readPlain(b: Uint8Array, pos: number, end: number, n: number, leaf: Leaf): Dense {
  const t = leaf.element.type;
  switch (t) {
    case 'BOOLEAN': {
      need(pos, (n + 7) >> 3, end);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (b[pos + (i >> 3)] >> (i & 7)) & 1;
      return out;
    }
    case 'INT32': need(pos, 4 * n, end); return int32ToUnits(int32View(b, pos, n), leaf);
    case 'INT64': need(pos, 8 * n, end); return wordsToUnits(int32View(b, pos, 2 * n), n, leaf);
    case 'FLOAT': {
      need(pos, 4 * n, end);
      return ((b.byteOffset + pos) & 3) === 0 ? new Float32Array(b.buffer, b.byteOffset + pos, n) : new Float32Array(copyOf(b, pos, 4 * n).buffer);
    }
    case 'DOUBLE': {
      need(pos, 8 * n, end);
      return ((b.byteOffset + pos) & 7) === 0 ? new Float64Array(b.buffer, b.byteOffset + pos, n) : new Float64Array(copyOf(b, pos, 8 * n).buffer);
    }
    case 'INT96': {
      need(pos, 12 * n, end);
      const w = int32View(b, pos, 3 * n);
      const out = new Float64Array(n);
      for (let i = 0, j = 0; i < n; i++, j += 3) {
        const nanosOfDay = w[j + 1] * 4294967296 + (w[j] >>> 0);
        out[i] = (w[j + 2] - 2440588) * 86400000000 + Math.floor(nanosOfDay / 1000);
      }
      return out;
    }
    case 'FIXED_LEN_BYTE_ARRAY': {
      // only decimals get here: big-endian two's complement unscaled integers
      const w = leaf.element.type_length ?? 0;
      need(pos, w * n, end);
      const out = new Float64Array(n);
      const f = 10 ** leaf.scale, neg = 2 ** (8 * w);
      for (let i = 0, p = pos; i < n; i++, p += w) {
        let v = 0;
        for (let k = 0; k < w; k++) v = v * 256 + b[p + k];
        if (b[p] >= 0x80) v -= neg;
        out[i] = v / f;
      }
      return out;
    }
    case 'BYTE_ARRAY': {
      const offsets = new Int32Array(n + 1);
      let p = pos, total = 0;
      for (let i = 0; i < n; i++) {
        need(p, 4, end);
        const len = (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
        p += 4 + len;
        if (p > end) throw new Error(`string value ${i} of length ${len} runs past the end of the page`);
        total += len;
        offsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      p = pos;
      for (let i = 0; i < n; i++) {
        const s = offsets[i], len = offsets[i + 1] - s;
        p += 4;
        if (len < 16) for (let k = 0; k < len; k++) bytes[s + k] = b[p + k];
        else bytes.set(b.subarray(p, p + len), s);
        p += len;
      }
      return { offsets, bytes };
    }
  }
  throw new Error(`Parquet type ${t} cannot be decoded`);
}

function reader(b: Uint8Array, pos: number) {
  return { view: new DataView(b.buffer, b.byteOffset, b.byteLength), offset: pos };
}

/** Non-dictionary encodings other than PLAIN. */
function readEncoded(encoding: string, b: Uint8Array, pos: number, end: number, n: number, leaf: Leaf): Dense {
  const t = leaf.element.type;
  switch (encoding) {
    case 'PLAIN': return readPlain(b, pos, end, n, leaf);
    case 'RLE': {
      if (t !== 'BOOLEAN') break;
      need(pos, 4, end);
      const len = (b[pos] | b[pos + 1] << 8 | b[pos + 2] << 16 | b[pos + 3] << 24) >>> 0;
      const out = new Uint8Array(n);
      readHybrid(b, pos + 4, Math.min(end, pos + 4 + len), 1, out, 0, n);
      return out;
    }
    case 'DELTA_BINARY_PACKED': {
      if (t === 'INT32') { const out = new Int32Array(n); if (n) deltaBinaryUnpack(reader(b, pos), n, out); return int32ToUnits(out, leaf); }
      if (t === 'INT64') {
        const out = new BigInt64Array(n);
        if (n) deltaBinaryUnpack(reader(b, pos), n, out);
        return wordsToUnits(new Int32Array(out.buffer), n, leaf);
      }
      break;
    }
    case 'DELTA_LENGTH_BYTE_ARRAY': case 'DELTA_BYTE_ARRAY': {
      if (t !== 'BYTE_ARRAY') break;
      const parts: Uint8Array[] = new Array(n);
      if (n) (encoding === 'DELTA_BYTE_ARRAY' ? deltaByteArray : deltaLengthByteArray)(reader(b, pos), n, parts);
      return utf8FromParts(parts, n);
    }
    case 'BYTE_STREAM_SPLIT': {
      if (t !== 'FLOAT' && t !== 'DOUBLE' && t !== 'INT32' && t !== 'INT64') break;
      const v = byteStreamSplit(reader(b, pos), n, t, undefined);
      if (v instanceof BigInt64Array) return wordsToUnits(new Int32Array(v.buffer, v.byteOffset, 2 * n), n, leaf);
      if (v instanceof Int32Array) return int32ToUnits(v, leaf);
      return v as NumericArray;
    }
  }
  throw new Error(`encoding ${encoding} is not supported for ${t}`);
}

// ---------------------------------------------------------------------------------------
// output

/** Accumulates the pages of one column chunk. */
class ChunkBuilder {
  values?: NumericArray;
  offsets?: Int32Array;
  bytes = new Uint8Array(0);
  byteLen = 0;
  valid?: Uint8Array;
  row = 0;

  constructor(readonly leaf: Leaf, readonly rows: number, byteHint: number) {
    if (leaf.dtype === 'utf8') {
      this.offsets = new Int32Array(rows + 1);
      this.bytes = new Uint8Array(Math.max(1024, byteHint));
    } else {
      this.values = allocValues(leaf.dtype, rows);
    }
    if (leaf.optional) this.valid = new Uint8Array(rows);
  }

  private reserve(extra: number): void {
    const want = this.byteLen + extra;
    if (want <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(want, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.byteLen));
    this.bytes = next;
  }

  /** Places dense values at rows [row, row+nv), skipping rows that are null. */
  place(d: Dense, nv: number, nn: number): void {
    const row = this.row, valid = this.valid;
    if (isUtf8(d)) {
      const offsets = this.offsets!;
      const total = d.offsets[nn];
      this.reserve(total);
      const base = this.byteLen;
      this.bytes.set(d.bytes.subarray(0, total), base);
      if (nn === nv) {
        for (let i = 1; i <= nv; i++) offsets[row + i] = base + d.offsets[i];
      } else {
        let k = 0;
        for (let i = 0; i < nv; i++) {
          if (valid![row + i]) k++;
          offsets[row + i + 1] = base + d.offsets[k];
        }
      }
      this.byteLen += total;
    } else {
      const out = this.values!;
      if (nn === nv) out.set(d.subarray(0, nv), row);
      else {
        let k = 0;
        for (let i = 0; i < nv; i++) if (valid![row + i]) out[row + i] = d[k++];
      }
    }
    this.row += nv;
  }

  /** Places dictionary entries `idx[0..nn)` at rows [row, row+nv). */
  gather(dict: Dense, idx: Int32Array, nv: number, nn: number): void {
    const row = this.row, valid = this.valid;
    if (isUtf8(dict)) {
      const offsets = this.offsets!, off = dict.offsets, src = dict.bytes;
      let total = 0;
      for (let k = 0; k < nn; k++) { const j = idx[k]; total += off[j + 1] - off[j]; }
      this.reserve(total);
      const out = this.bytes;
      let o = this.byteLen, k = 0;
      for (let i = 0; i < nv; i++) {
        if (nn === nv || valid![row + i]) {
          const j = idx[k++], s = off[j], e = off[j + 1];
          if (e - s < 16) for (let q = s; q < e; q++) out[o++] = src[q];
          else { out.set(src.subarray(s, e), o); o += e - s; }
        }
        offsets[row + i + 1] = o;
      }
      this.byteLen = o;
    } else {
      const out = this.values!;
      if (nn === nv) for (let i = 0; i < nv; i++) out[row + i] = dict[idx[i]];
      else {
        let k = 0;
        for (let i = 0; i < nv; i++) if (valid![row + i]) out[row + i] = dict[idx[k++]];
      }
    }
    this.row += nv;
  }

  finish(): Column {
    const n = this.rows;
    let valid = this.valid;
    let nulls = 0;
    if (valid) {
      for (let i = 0; i < n; i++) nulls += valid[i] ^ 1;
      if (nulls === 0) valid = undefined;
    }
    if (this.leaf.dtype === 'utf8') {
      // hand back a buffer sized to the data: batches are transferred and accounted by buffer
      const values = this.bytes.length > this.byteLen * 1.25 + 4096 ? this.bytes.slice(0, this.byteLen) : this.bytes.subarray(0, this.byteLen);
      return { type: 'utf8', length: n, values, offsets: this.offsets, valid, nullCount: nulls };
    }
    return { type: this.leaf.dtype, length: n, values: this.values!, valid, nullCount: nulls };
  }
}

// ---------------------------------------------------------------------------------------
// pages

function denseLength(d: Dense): number {
  return isUtf8(d) ? d.offsets.length - 1 : d.length;
}

/**
 * Decodes a column chunk holding `rows` rows. `chunk` holds exactly the chunk's bytes;
 * errors are PageErrors carrying the offset inside the chunk.
 */
export function decodeChunk(chunk: Uint8Array, leaf: Leaf, codec: CompressionCodec, rows: number, byteHint: number): Column {
  const out = new ChunkBuilder(leaf, rows, byteHint);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let dict: Dense | undefined;
  let dictLen = 0;
  let idx = new Int32Array(0);
  let pos = 0;
  while (out.row < rows) {
    if (pos >= chunk.length) throw new PageError(`column chunk ends after ${out.row} of ${rows} rows`, pos);
    const pageStart = pos;
    try {
      const r = { view, offset: pos };
      let header: PageHeader;
      try { header = parquetHeader(r); } catch (e) { throw new Error(`unreadable page header (${(e as Error).message})`); }
      pos = r.offset;
      const size = header.compressed_page_size;
      if (!(size >= 0) || pos + size > chunk.length) throw new Error(`page of ${size} bytes runs past the end of the column chunk`);
      const raw = chunk.subarray(pos, pos + size);
      pos += size;
      if (header.type === 'DICTIONARY_PAGE') {
        const n = header.dictionary_page_header?.num_values ?? 0;
        const page = decompress(codec, raw, header.uncompressed_page_size);
        dict = readPlain(page, 0, page.length, n, leaf);
        dictLen = denseLength(dict);
        continue;
      }
      if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue;

      let page: Uint8Array, p: number, encoding: string, nv: number;
      const row = out.row;
      if (header.type === 'DATA_PAGE') {
        const h = header.data_page_header;
        if (!h) throw new Error('data page without a data page header');
        nv = h.num_values;
        encoding = h.encoding;
        page = decompress(codec, raw, header.uncompressed_page_size);
        p = 0;
        checkRows(nv, row, rows);
        if (leaf.optional) {
          need(p, 4, page.length);
          const len = view32(page, p);
          need(p + 4, len, page.length);
          readHybrid(page, p + 4, p + 4 + len, 1, out.valid!, row, nv);
          p += 4 + len;
        }
      } else {
        const h = header.data_page_header_v2;
        if (!h) throw new Error('data page v2 without its header');
        nv = h.num_rows;
        encoding = h.encoding;
        checkRows(nv, row, rows);
        const levels = h.repetition_levels_byte_length + h.definition_levels_byte_length;
        if (levels > raw.length) throw new Error('page levels run past the end of the page');
        if (leaf.optional) {
          const s = h.repetition_levels_byte_length;
          readHybrid(raw, s, s + h.definition_levels_byte_length, 1, out.valid!, row, nv);
        }
        const body = raw.subarray(levels);
        page = h.is_compressed === false ? body : decompress(codec, body, header.uncompressed_page_size - levels);
        p = 0;
      }
      let nn = nv;
      if (leaf.optional) {
        const valid = out.valid!;
        nn = 0;
        for (let i = row; i < row + nv; i++) {
          const v = valid[i];
          if (v > 1) throw new Error(`definition level ${v} out of range for a flat column`);
          nn += v;
        }
      }

      if (encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') {
        if (!dict) throw new Error('dictionary-encoded page without a dictionary page');
        if (idx.length < nn) idx = new Int32Array(Math.max(nn, idx.length * 2));
        if (nn > 0) {
          need(p, 1, page.length);
          const width = page[p];
          readHybrid(page, p + 1, page.length, width, idx, 0, nn);
          let max = 0;
          for (let i = 0; i < nn; i++) max = Math.max(max, idx[i] >>> 0);
          if (max >= dictLen) throw new Error(`dictionary index ${max} out of range (dictionary has ${dictLen} entries)`);
        }
        out.gather(dict, idx, nv, nn);
      } else {
        out.place(readEncoded(encoding, page, p, page.length, nn, leaf), nv, nn);
      }
    } catch (e) {
      if (e instanceof PageError) throw e;
      throw new PageError((e as Error).message, pageStart);
    }
  }
  return out.finish();
}

function view32(b: Uint8Array, p: number): number {
  return (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
}

function checkRows(nv: number, row: number, rows: number): void {
  if (!(nv >= 0) || row + nv > rows) throw new Error(`page holds ${nv} values after row ${row}, past the ${rows} rows of the row group`);
}
