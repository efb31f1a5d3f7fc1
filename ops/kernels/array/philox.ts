/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a
 * counter-based generator, so any element's value depends only on (key, counter) and a
 * chunk can be filled without generating the elements before it.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const M0_HI = M0 >>> 16, M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16, M1_LO = M1 & 0xffff;

/** High 32 bits of a * b for uint32 a and b = bh * 2^16 + bl, from four 16x16-bit partial products. */
function mulhi(a: number, bh: number, bl: number): number {
  const al = a & 0xffff, ah = a >>> 16;
  const lh = al * bh, hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * One Philox4x32-10 block: counter (c0..c3) and key (k0, k1) as uint32, result written to `out`.
 * JS has no 64-bit integer multiply outside BigInt (far slower), so the high word of each
 * 32x32 product is assembled from 16-bit halves.
 * @example
 * const o = new Uint32Array(4); philox4x32(0, 0, 0, 0, 0, 0, o); // o = [0x6627e8d5, ...]
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 = (k0 + W0) | 0; k1 = (k1 + W1) | 0; }
    const hi0 = mulhi(c0 >>> 0, M0_HI, M0_LO), lo0 = Math.imul(c0, M0);
    const hi1 = mulhi(c2 >>> 0, M1_HI, M1_LO), lo1 = Math.imul(c2, M1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53_INV = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;

/** 53-bit uniform in [0, 1) from two 32-bit words (27 + 26 bits, as numpy's `random_sample`). */
export const toUniform = (a: number, b: number): number => ((a >>> 5) * TWO_POW_26 + (b >>> 6)) * TWO_POW_53_INV;

/** Splits a seed (any safe integer, negative allowed) into the two key words. */
export function seedKey(seed: number): [number, number] {
  const s = Math.trunc(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  return [lo, hi];
}

/**
 * Fills `out[offset .. offset+len)` with the values of global elements `g .. g+len)`.
 * Element g uses block floor(g/2) (counter words 0,1 = block index; 2,3 = 0, which keeps array
 * streams apart from `randomStream` ones) and half g%2 of its output: uniforms take words
 * (0,1) or (2,3); normals are the cosine or sine half of one Box-Muller pair.
 * @example
 * const out = new Float64Array(4); fillRandom(out, 0, 4, 0, 42, 'uniform');
 */
export function fillRandom(out: Float64Array, offset: number, len: number, g: number, seed: number, dist: 'uniform' | 'normal'): void {
  const [k0, k1] = seedKey(seed);
  const w = new Uint32Array(4);
  let i = 0;
  while (i < len) {
    const e = g + i;
    const block = Math.floor(e / 2);
    philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, 0, 0, k0, k1, w);
    const first = e % 2 === 0;
    if (dist === 'uniform') {
      if (first) {
        out[offset + i++] = toUniform(w[0], w[1]);
        if (i < len) out[offset + i++] = toUniform(w[2], w[3]);
      } else {
        out[offset + i++] = toUniform(w[2], w[3]);
      }
    } else {
      const u1 = 1 - toUniform(w[0], w[1]); // (0, 1]: log stays finite
      const u2 = toUniform(w[2], w[3]);
      const r = Math.sqrt(-2 * Math.log(u1));
      const t = TWO_PI * u2;
      if (first) {
        out[offset + i++] = r * Math.cos(t);
        if (i < len) out[offset + i++] = r * Math.sin(t);
      } else {
        out[offset + i++] = r * Math.sin(t);
      }
    }
  }
}
