/**
 * `str.lower()` on UTF-8 bytes with the word-count kernel's mapping (DuckDB's `lower()`):
 * each code point lowercases on its own through the simple mapping (unicode.ts), so unlike
 * `String.prototype.toLowerCase` 'İ' becomes 'i' (not 'i̇') and a final 'Σ' becomes 'σ'
 * (not 'ς'). Bytes of invalid UTF-8 sequences are copied unchanged.
 */
import type { Column } from '../../../core/types.js';
import { classifyLower } from './unicode.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/**
 * Lowercases every value of a utf8 column; nulls stay null. A dictionary-encoded column keeps
 * its codes and gets a lowercased dictionary (whose entries may then repeat, e.g. 'A' and 'a').
 * @example lowerUtf8(col) // ['ΟΔΟΣ', 'İz', null] -> ['οδοσ', 'iz', null]
 */
export function lowerUtf8(col: Column): Column {
  if (col.type !== 'utf8') throw new TypeError(`lowerUtf8: expected a utf8 column, got ${col.type}`);
  if (col.dictionary) return { ...col, dictionary: lowerUtf8(col.dictionary) };
  const n = col.length, off = col.offsets!, src = col.values as Uint8Array;
  const s0 = off[0], e0 = off[n];
  let ascii = true;
  for (let k = s0; k < e0; k++) if (src[k] >= 0x80) { ascii = false; break; }
  const offsets = new Int32Array(n + 1);
  let out: Uint8Array;
  if (ascii) {
    out = new Uint8Array(e0 - s0);
    for (let k = s0; k < e0; k++) { const c = src[k]; out[k - s0] = c >= 65 && c <= 90 ? c | 32 : c; }
    for (let i = 0; i <= n; i++) offsets[i] = off[i] - s0;
  } else {
    out = lowerMixed(src, off, n, offsets);
  }
  return { type: 'utf8', length: n, values: out, offsets, valid: col.valid, nullCount: col.nullCount };
}

/** Lowercases values with non-ASCII bytes; mapped code points may change byte length. */
function lowerMixed(src: Uint8Array, off: Int32Array, n: number, offsets: Int32Array): Uint8Array {
  // lowercasing grows text by at most half (2-byte 'Ⱥ' -> 3-byte 'ⱥ'), rarely at all
  let out = new Uint8Array(off[n] - off[0] + 16);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const e = off[i + 1];
    let k = off[i];
    while (k < e) {
      if (o + 4 > out.length) { const b = new Uint8Array(out.length * 2); b.set(out); out = b; }
      const c = src[k];
      if (c < 0x80) { out[o++] = c >= 65 && c <= 90 ? c | 32 : c; k++; continue; }
      const r = decodeUtf8(src, k, e);
      if (r < 0) { out[o++] = c; k++; continue; }
      const v = classifyLower(r >> 3);
      o = encodeUtf8(v >= 0 ? v : ~v, out, o);
      k += r & 7;
    }
    offsets[i + 1] = o;
  }
  return o === out.length ? out : out.slice(0, o);
}
