/**
 * Decoding the values of one page (PLAIN and the non-dictionary encodings) into dense,
 * null-free typed arrays in internal units; the page decoder (./decode.ts) then places them
 * at their rows.
 */
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import type { NumericArray } from '../../core/types.js';
import { int64WordsToFloat64, nanosWordsToMicros } from '../../core/bits.js';
import { readBits } from './rle.js';
import type { Leaf } from './schema.js';

/** Dense (null-free) UTF-8 values: offsets start at 0. */
export interface Utf8Dense { offsets: Int32Array; bytes: Uint8Array }
/** Dense values of a page: a typed array in internal units, or strings. */
export type Dense = NumericArray | Utf8Dense;

/** True for string values. */
export const isUtf8 = (d: Dense): d is Utf8Dense => (d as Utf8Dense).offsets !== undefined;

/** A fresh, aligned copy (a Node Buffer's slice() would be a view). */
function copyOf(b: Uint8Array, pos: number, len: number): Uint8Array {
  return new Uint8Array(b.subarray(pos, pos + len));
}

function int32View(b: Uint8Array, pos: number, n: number): Int32Array {
  return ((b.byteOffset + pos) & 3) === 0
    ? new Int32Array(b.buffer, b.byteOffset + pos, n)
    : new Int32Array(copyOf(b, pos, 4 * n).buffer);
}

/** Throws unless `bytes` bytes are available at `pos` before `end`. */
export function need(pos: number, bytes: number, end: number): void {
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

/**
 * `n` PLAIN strings (length-prefixed) at b[pos, end). Kept out of readPlain's switch: a
 * small function is optimised after fewer calls, and a string dictionary is decoded once per
 * row group, so readPlain would run it unoptimised for the first several.
 */
function plainStrings(b: Uint8Array, pos: number, end: number, n: number): Utf8Dense {
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

/** `n` PLAIN-encoded values at b[pos, end). */
export function readPlain(b: Uint8Array, pos: number, end: number, n: number, leaf: Leaf): Dense {
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
    case 'BYTE_ARRAY': return plainStrings(b, pos, end, n);
  }
  throw new Error(`Parquet type ${t} cannot be decoded`);
}

function reader(b: Uint8Array, pos: number) {
  return { view: new DataView(b.buffer, b.byteOffset, b.byteLength), offset: pos };
}

/** `n` values of a non-dictionary encoding at b[pos, end). */
export function readEncoded(encoding: string, b: Uint8Array, pos: number, end: number, n: number, leaf: Leaf): Dense {
  const t = leaf.element.type;
  switch (encoding) {
    case 'PLAIN': return readPlain(b, pos, end, n, leaf);
    case 'RLE': {
      if (t !== 'BOOLEAN') break;
      need(pos, 4, end);
      const len = (b[pos] | b[pos + 1] << 8 | b[pos + 2] << 16 | b[pos + 3] << 24) >>> 0;
      const out = new Uint8Array(n);
      readBits(b, pos + 4, Math.min(end, pos + 4 + len), out, 0, n);
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
