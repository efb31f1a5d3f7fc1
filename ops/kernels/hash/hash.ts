/**
 * 32-bit hashes for grouping and joining. Keys are hashed from their physical bytes/values,
 * never through JS strings, so hashing a utf8 key costs a few integer multiplies per 4 bytes.
 */

const M = 0x9e3779b1 | 0;
const NAN_HASH = 0x27d4eb2f | 0;

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

/** Final avalanche (murmur3 fmix32): spreads every input bit into the low bits used as a slot index. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hash of bytes [s, e) of `b`, read four at a time; equal byte strings hash equally.
 * @example hashBytes(new TextEncoder().encode('id001'), 0, 5)
 */
export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = e - s;
  let p = s;
  for (const end4 = e - 3; p < end4; p += 4) h = mixWord(h, b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24));
  if (p < e) h = mixWord(h, tailWord(b, p, e));
  return fmix(h);
}

/**
 * One step of {@link hashBytes}: folds the next little-endian 4-byte word into `h`. Exposed so
 * a caller that already holds a key's words (to compare them) hashes without re-reading bytes;
 * the length goes in as the initial `h` and {@link fmix} finishes.
 */
export function mixWord(h: number, w: number): number {
  return Math.imul(((h << 5) | (h >>> 27)) ^ w, M);
}

/** Bytes [p, e) (fewer than 4) as a little-endian word, zero-padded. */
export function tailWord(b: Uint8Array, p: number, e: number): number {
  let w = b[p];
  if (p + 1 < e) { w |= b[p + 1] << 8; if (p + 2 < e) w |= b[p + 2] << 16; }
  return w;
}

/**
 * Hash of a number such that values equal under grouping hash equally: -0 and 0 alike, every
 * NaN alike (DuckDB groups all NaNs together).
 * @example hashNumber(42) === hashNumber(42.0)
 */
export function hashNumber(v: number): number {
  if ((v | 0) === v) return fmix(v ^ M);
  if (v !== v) return NAN_HASH;
  F64[0] = v;
  return fmix(Math.imul(I32[0] ^ M, 0xcc9e2d51) ^ I32[1]);
}
