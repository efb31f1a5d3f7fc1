/**
 * Strict UTF-8 decoding and encoding of single code points on byte arrays. Validation follows
 * the Unicode / WHATWG rules (no overlong forms, no surrogates, nothing past U+10FFFF), so a
 * sequence decodes here exactly when `TextDecoder` decodes it; the callers treat each byte of an
 * invalid sequence as a separator, which splits text the same way `TextDecoder`'s U+FFFD (a
 * non-letter) does.
 */

/**
 * Decodes the multi-byte sequence whose lead byte is at `i` (callers handle ASCII first).
 * Returns `(cp << 3) | byteLength`, or -1 when the bytes at `i` (before `end`) are not a valid
 * sequence; packing both in one number keeps the hot loops free of allocations.
 * @example const r = decodeUtf8(new Uint8Array([0xc3, 0xa9]), 0, 2); (r >> 3) === 0xe9 && (r & 7) === 2
 */
export function decodeUtf8(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c < 0xc2) return -1;
  if (c < 0xe0) {
    if (i + 1 >= end) return -1;
    const c1 = b[i + 1];
    if ((c1 & 0xc0) !== 0x80) return -1;
    return (((c & 0x1f) << 6) | (c1 & 0x3f)) << 3 | 2;
  }
  if (c < 0xf0) {
    if (i + 2 >= end) return -1;
    const c1 = b[i + 1], c2 = b[i + 2];
    if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return -1;
    if (c === 0xe0 ? c1 < 0xa0 : c === 0xed && c1 >= 0xa0) return -1;
    return (((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f)) << 3 | 3;
  }
  if (c > 0xf4 || i + 3 >= end) return -1;
  const c1 = b[i + 1], c2 = b[i + 2], c3 = b[i + 3];
  if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return -1;
  if (c === 0xf0 ? c1 < 0x90 : c === 0xf4 && c1 >= 0x90) return -1;
  return (((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f)) << 3 | 4;
}

/**
 * Writes the UTF-8 form of scalar value `cp` at `out[o]` and returns the position after it.
 * The caller guarantees 4 bytes of room.
 * @example const out = new Uint8Array(4); encodeUtf8(0x20ac, out, 0) === 3 // '€'
 */
export function encodeUtf8(cp: number, out: Uint8Array, o: number): number {
  if (cp < 0x80) { out[o] = cp; return o + 1; }
  if (cp < 0x800) { out[o] = 0xc0 | (cp >> 6); out[o + 1] = 0x80 | (cp & 0x3f); return o + 2; }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12); out[o + 1] = 0x80 | ((cp >> 6) & 0x3f); out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18); out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f); out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}
