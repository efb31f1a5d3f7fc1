/**
 * A small seeded pseudo-random generator for reproducible data sets.
 *
 * xoshiro128** keeps its whole state in four int32 words, so every step is a handful of
 * Math.imul / shift operations on small integers that V8 keeps unboxed; that is what lets a
 * generator write hundreds of megabytes per second. The state is expanded from the seed with
 * splitmix32 so that nearby seeds (1, 2, 3) give unrelated streams.
 */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Creates a generator whose stream depends only on `seed` (any integer or float; its low 32 bits and high part are mixed). */
  constructor(seed: number) {
    let s = (seed >>> 0) ^ Math.floor(seed / 0x1_0000_0000);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32). */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /**
   * Uniform integer in [1, n]. Up to 2^21 it is one multiply-shift draw (bias below n / 2^32,
   * far under what a benchmark data set can show, and no division or rejection loop per
   * draw); wider ranges take two draws so the product stays exact in a double.
   */
  int1(n: number): number {
    if (n > 0x20_0000) return this.below(n) + 1;
    return Math.floor((this.nextU32() * n) / 0x1_0000_0000) + 1;
  }

  /** Uniform integer in [0, n) for n up to 2^53, built from two draws so large ranges stay fine-grained. */
  below(n: number): number {
    const x = this.nextU32() * 0x20_0000 + (this.nextU32() >>> 11);
    return Math.floor((x / 0x20_0000_0000_0000) * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
