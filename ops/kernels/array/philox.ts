/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a
 * counter-based generator, so any element's value depends only on (key, counter) and a
 * chunk can be filled without generating the elements before it.
 */
import { philoxWasm, WASM_BLOCKS } from './philox-wasm.js';

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

/**
 * 53-bit uniform in [0, 1) from two 32-bit words (27 + 26 bits, as numpy's `random_sample`).
 * @example toUniform(0xffffffff, 0xffffffff) // 0.9999999999999999
 */
export const toUniform = (a: number, b: number): number => ((a >>> 5) * TWO_POW_26 + (b >>> 6)) * TWO_POW_53_INV;

/**
 * Splits a seed (any safe integer, negative allowed) into the two key words.
 * @example seedKey(2 ** 32 + 5) // [5, 1]
 */
export function seedKey(seed: number): [number, number] {
  const s = Math.trunc(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  return [lo, hi];
}

/** Values of element pair `block` (halves 0 and 1) computed one block at a time in JS. */
function pairJs(block: number, k0: number, k1: number, w: Uint32Array): [number, number] {
  philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, 0, 0, k0, k1, w);
  return [toUniform(w[0], w[1]), toUniform(w[2], w[3])];
}

/**
 * Fills `out[offset .. offset+len)` with the values of global elements `g .. g+len)`.
 * Element g uses block floor(g/2) (counter words 0,1 = block index; 2,3 = 0, which keeps array
 * streams apart from `randomStream` ones) and half g%2 of its output: uniforms take words
 * (0,1) or (2,3); normals are the cosine or sine half of one Box-Muller pair. Whole blocks
 * come from the wasm kernel; a half block at either end is done in JS.
 * @example
 * const out = new Float64Array(4); fillRandom(out, 0, 4, 0, 42, 'uniform');
 */
export function fillRandom(out: Float64Array, offset: number, len: number, g: number, seed: number, dist: 'uniform' | 'normal'): void {
  const [k0, k1] = seedKey(seed);
  const w = new Uint32Array(4);
  let at = offset, e = g;
  const end = offset + len;
  if (len > 0 && e % 2 === 1) {
    const [u1, u2] = pairJs((e - 1) / 2, k0, k1, w);
    out[at++] = dist === 'uniform' ? u2 : normalPair(u1, u2)[1];
    e++;
  }
  const wasm = philoxWasm();
  while (end - at >= 2) {
    const blocks = Math.min(WASM_BLOCKS, (end - at) >> 1);
    const block = e / 2, lo = block >>> 0, hi = Math.floor(block / 4294967296) >>> 0;
    // groups of four blocks in SIMD, as long as the counter's low word does not wrap; the rest one by one
    const groups = Math.min(blocks >> 2, Math.floor((4294967296 - lo) / 4));
    if (groups > 0) wasm.fill4(0, groups, lo, hi, k0, k1);
    if (blocks > 4 * groups) {
      const next = block + 4 * groups;
      wasm.fill(64 * groups, blocks - 4 * groups, next >>> 0, Math.floor(next / 4294967296) >>> 0, k0, k1);
    }
    const vals = wasm.scratch.subarray(0, 2 * blocks);
    if (dist === 'normal') toNormalPairs(vals);
    out.set(vals, at);
    at += 2 * blocks;
    e += 2 * blocks;
  }
  if (at < end) {
    const [u1, u2] = pairJs(e / 2, k0, k1, w);
    out[at] = dist === 'uniform' ? u1 : normalPair(u1, u2)[0];
  }
}

/** Box-Muller: the (cosine, sine) normals of one pair of uniforms. */
function normalPair(u1: number, u2: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log(1 - u1)); // 1 - u1 is in (0, 1]: the log stays finite
  const t = TWO_PI * u2;
  return [r * Math.cos(t), r * Math.sin(t)];
}

/** Turns consecutive uniform pairs into normal pairs in place. */
function toNormalPairs(v: Float64Array): void {
  for (let i = 0; i + 1 < v.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - v[i]));
    const t = TWO_PI * v[i + 1];
    v[i] = r * Math.cos(t);
    v[i + 1] = r * Math.sin(t);
  }
}
