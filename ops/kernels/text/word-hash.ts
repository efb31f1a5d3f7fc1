/**
 * The canonical key and hash of a word (its lowercased UTF-8 bytes), shared by the ASCII fast
 * path, which computes them from two big-endian 32-bit loads, and every other path, which
 * computes them from bytes. Both must agree bit for bit, or one word would occupy two entries.
 *
 * - Short words (1..7 bytes) are their own key: k0 = bytes 0..3 and k1 = bytes 4..6 as
 *   big-endian integers, zero-padded. No byte of a word is 0, so k0 != 0 and the padding
 *   also encodes the length; comparing a short word costs two integer compares. (The fast
 *   path sees 8 bytes at a time and cannot tell an 8-letter word from a longer one without
 *   another load, so 8 bytes already count as long.)
 * - Long words (8 bytes or more) hash 4-byte chunks (the last zero-padded) with their length
 *   and are compared against the arena on a hash match.
 */

/** Golden-ratio multiplier: the slot index is the top bits of a product with it. */
export const GOLDEN = 0x9e3779b1 | 0;
const C1 = 0x85ebca6b | 0;

/**
 * Masks keeping the first `len` bytes of a big-endian pair: `WORD_MASKS[len]` for the first
 * word and `WORD_MASKS[9 + len]` for the second, len = 0..8. The kernel keeps them at the start
 * of the slot array so the hot loop touches one typed array for masks and slots.
 * @example (0x41424344 & WORD_MASKS[2]) === 0x41420000
 */
export const WORD_MASKS: Int32Array = (() => {
  const m = new Int32Array(18);
  for (let len = 0; len <= 8; len++) {
    const a = Math.min(len, 4), b = Math.max(len - 4, 0);
    m[len] = a === 0 ? 0 : a === 4 ? -1 : ~(-1 >>> (8 * a));
    m[9 + len] = b === 0 ? 0 : b === 4 ? -1 : ~(-1 >>> (8 * b));
  }
  return m;
})();

/**
 * Hash of a short word's key pair; the top bits are well mixed (a product is the last step).
 * @example shortHash(0x74686500, 0) // 'the'
 */
export function shortHash(k0: number, k1: number): number {
  return Math.imul(k0 ^ (k0 >>> 15) ^ Math.imul(k1 ^ (k1 >>> 15), C1), GOLDEN);
}

/**
 * Folds one 4-byte chunk of a long word into its running hash.
 * @example let h = 0; h = mixChunk(h, 0x696e7465); // 'inte'
 */
export function mixChunk(h: number, chunk: number): number {
  return Math.imul(((h << 13) | (h >>> 19)) ^ chunk, GOLDEN);
}

/**
 * Finishes a long word's hash with its byte length.
 * @example finishLong(mixChunk(mixChunk(mixChunk(0, a), b), c), 10)
 */
export function finishLong(h: number, len: number): number {
  h = Math.imul(h ^ len ^ (h >>> 16), C1);
  return Math.imul(h ^ (h >>> 13), GOLDEN);
}

/**
 * Hash of a long word's bytes [s, e) (e - s >= 8), equal to what the kernel folds in.
 * @example longHash(bytes, 0, bytes.length)
 */
export function longHash(b: Uint8Array, s: number, e: number): number {
  let h = 0, w = 0, k = s;
  for (; k < e; k++) {
    w = (w << 8) | b[k];
    if (((k - s) & 3) === 3) { h = mixChunk(h, w); w = 0; }
  }
  const rest = (e - s) & 3;
  if (rest !== 0) h = mixChunk(h, w << (8 * (4 - rest)));
  return finishLong(h, e - s);
}
