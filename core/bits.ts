/**
 * Bit-level helpers shared by the Arrow conversions and the Parquet codec: 64-bit integers as
 * pairs of 32-bit words (no BigInt per value) and validity bytes <-> bitmaps. Kept apart from
 * core/arrow.ts so a worker reading Parquet does not load apache-arrow.
 */

const TWO32 = 4294967296;

/**
 * Writes integral float64 values as little-endian 64-bit integers into `out` (two int32
 * words per value). Exact for |v| <= 2^53; `v >>> 0` is the value modulo 2^32 for any
 * integral double, so only the high word needs a division.
 * @example const big = new BigInt64Array(n); float64ToInt64Words(col.values, wordsOf(big))
 */
export function float64ToInt64Words(src: ArrayLike<number>, out: Int32Array, n = src.length): void {
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const v = src[i];
    out[j] = v >>> 0;
    out[j + 1] = v >= -2147483648 && v <= 2147483647 ? (v < 0 ? -1 : 0) : Math.floor(v / TWO32);
  }
}

/**
 * Reads little-endian signed (or unsigned) 64-bit integers from int32 word pairs as doubles.
 * @example int64WordsToFloat64(wordsOf(bigints), out)
 */
export function int64WordsToFloat64(words: Int32Array, out: Float64Array, n = out.length, unsigned = false): void {
  if (unsigned) {
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (words[j + 1] >>> 0) * TWO32 + (words[j] >>> 0);
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = words[j + 1] * TWO32 + (words[j] >>> 0);
  }
}

/**
 * The int32 word view of a 64-bit typed array (no copy).
 * @example wordsOf(new BigInt64Array([1n]))[0] // 1
 */
export function wordsOf(a: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/**
 * Packs one-byte-per-row validity into an Arrow bitmap (LSB first).
 * @example packBits(new Uint8Array([1, 0, 1])) // Uint8Array [5]
 */
export function packBits(bytes: Uint8Array, n = bytes.length): Uint8Array {
  const out = new Uint8Array((n + 7) >> 3);
  const full = n & ~7;
  let i = 0;
  for (; i < full; i += 8) {
    out[i >> 3] = (bytes[i] & 1) | (bytes[i + 1] & 1) << 1 | (bytes[i + 2] & 1) << 2 | (bytes[i + 3] & 1) << 3 |
      (bytes[i + 4] & 1) << 4 | (bytes[i + 5] & 1) << 5 | (bytes[i + 6] & 1) << 6 | (bytes[i + 7] & 1) << 7;
  }
  for (; i < n; i++) if (bytes[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

/**
 * Unpacks `n` bits starting at bit `offset` into one byte (0/1) per row; returns the count of zero bits.
 * @example const valid = new Uint8Array(n); const nulls = unpackBits(data.nullBitmap, data.offset, n, valid)
 */
export function unpackBits(bits: Uint8Array, offset: number, n: number, out: Uint8Array): number {
  let zeros = 0;
  if ((offset & 7) === 0) {
    const base = offset >> 3;
    const full = n & ~7;
    let i = 0;
    for (; i < full; i += 8) {
      const b = bits[base + (i >> 3)];
      if (b === 255) { out.fill(1, i, i + 8); continue; }
      for (let k = 0; k < 8; k++) { const v = (b >> k) & 1; out[i + k] = v; zeros += v ^ 1; }
    }
    for (; i < n; i++) { const v = (bits[base + (i >> 3)] >> (i & 7)) & 1; out[i] = v; zeros += v ^ 1; }
    return zeros;
  }
  for (let i = 0; i < n; i++) {
    const p = offset + i;
    const v = (bits[p >> 3] >> (p & 7)) & 1;
    out[i] = v; zeros += v ^ 1;
  }
  return zeros;
}

/**
 * Nanoseconds held as int32 word pairs to microseconds, floored, without losing precision past 2^53.
 * @example nanosWordsToMicros(wordsOf(nanos), micros)
 */
export function nanosWordsToMicros(words: Int32Array, out: Float64Array, n = out.length): void {
  // ns = hi*2^32 + lo = 1000*(hi*4294967) + (hi*296 + lo); the remainder term stays below 2^41
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const hi = words[j + 1];
    out[i] = hi * 4294967 + Math.floor((hi * 296 + (words[j] >>> 0)) / 1000);
  }
}

