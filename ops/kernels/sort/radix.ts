/**
 * Stable LSD radix sort of a row permutation by 32-bit unsigned key words, 11 bits per pass.
 * Passes whose digit is the same for every row are skipped, so small integers cost one or two
 * passes. Keys travel with the permutation (gathered once), keeping every pass sequential.
 */

export const BITS = 11, RADIX = 1 << BITS, MASK = RADIX - 1;

/** Counts the digits of keys [from, to) for all three passes into `c` (3 * RADIX entries). */
export function countDigits(c: Int32Array, keys: Uint32Array, from: number, to: number): void {
  c.fill(0);
  for (let i = from; i < to; i++) {
    const x = keys[i];
    c[x & MASK]++;
    c[RADIX + ((x >>> BITS) & MASK)]++;
    c[2 * RADIX + (x >>> (2 * BITS))]++;
  }
}

/**
 * Turns pass `pass`'s digit counts into output positions starting at `from`. Returns false,
 * leaving the counts alone, when every row shares one digit: that pass cannot reorder anything.
 */
export function passOffsets(c: Int32Array, pass: number, from: number, n: number): boolean {
  const base = pass * RADIX;
  for (let d = 0; d < RADIX; d++) { const x = c[base + d]; if (x !== 0) { if (x === n) return false; break; } }
  let sum = from;
  for (let d = 0; d < RADIX; d++) { const x = c[base + d]; c[base + d] = sum; sum += x; }
  return true;
}

/** Reusable buffers for sorting `n` positions. */
export class RadixBuffers {
  perm2: Int32Array;
  keys: Uint32Array;
  keys2: Uint32Array;
  readonly counts = new Int32Array(RADIX * 3);
  constructor(n: number) {
    this.perm2 = new Int32Array(n);
    this.keys = new Uint32Array(n);
    this.keys2 = new Uint32Array(n);
  }
}

/**
 * Stably reorders positions [from, to) of `perm` in place by `word[perm[i]]` (row-indexed key
 * words); afterwards `buf.keys[from..to)` holds the sorted keys. Returns `perm`.
 * @example perm = sortByWord(perm, 0, n, keyOfRow, buffers)
 */
export function sortByWord(perm: Int32Array, from: number, to: number, word: Uint32Array, buf: RadixBuffers): Int32Array {
  const k = buf.keys;
  for (let i = from; i < to; i++) k[i] = word[perm[i]];
  return sortGathered(perm, from, to, buf);
}

/**
 * Like {@link sortByWord} but the keys are already in `buf.keys[from..to)`, in position order
 * (for callers that compute keys per position, e.g. string chunks).
 */
export function sortGathered(perm: Int32Array, from: number, to: number, buf: RadixBuffers): Int32Array {
  const n = to - from;
  if (n < 2) return perm;
  const c = buf.counts;
  let k = buf.keys;
  countDigits(c, k, from, to);
  let src = perm, dst = buf.perm2, kd = buf.keys2;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * RADIX, shift = pass * BITS;
    if (!passOffsets(c, pass, from, n)) continue;
    for (let i = from; i < to; i++) {
      const x = k[i], p = c[base + ((x >>> shift) & MASK)]++;
      dst[p] = src[i];
      kd[p] = x;
    }
    const tp = src; src = dst; dst = tp;
    const tk = k; k = kd; kd = tk;
  }
  // results always end up in `perm` and `buf.keys`, so callers never track which buffer won
  if (src !== perm) perm.set(src.subarray(from, to), from);
  if (k !== buf.keys) buf.keys.set(k.subarray(from, to), from);
  return perm;
}
