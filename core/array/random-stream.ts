/** Independent reproducible random streams (one per task id), from the same generator as arrays. */
import { PlanError } from '../errors.js';
import { philox4x32, seedKey, toUniform } from '../../ops/kernels/array/philox.js';

/**
 * A sequential generator; draws are a pure function of (seed, stream, draw number).
 * @example const r: RandomStream = ts.random.stream(1, 0); r.uniform();
 */
export interface RandomStream {
  /** Next uniform in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Next standard normal (Box-Muller; pairs are used in turn). */
  normal(): number;
}

/**
 * Stream `i` of `seed`: counter words 2 and 3 hold the stream id (with the top bit of word 3
 * set, which array elements never use), words 0 and 1 the draw number.
 * @example
 * const r = ts.array.randomStream(42, 7); r.uniform(); r.normal();
 */
export function randomStream(seed: number, i: number): RandomStream {
  if (!Number.isSafeInteger(seed)) throw new PlanError(`randomStream: seed must be an integer, got ${seed}`);
  if (!Number.isSafeInteger(i) || i < 0 || i >= 2 ** 31 * 2 ** 32) throw new PlanError(`randomStream: stream id must be a non-negative integer below 2^63, got ${i}`);
  const [k0, k1] = seedKey(seed);
  const s0 = i >>> 0, s1 = (Math.floor(i / 4294967296) | 0x80000000) >>> 0;
  const w = new Uint32Array(4);
  let block = 0;
  let buffered: number[] = [];
  let spare: number | undefined;
  const next = (): number => {
    if (buffered.length === 0) {
      philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, s0, s1, k0, k1, w);
      block++;
      buffered = [toUniform(w[2], w[3]), toUniform(w[0], w[1])];
    }
    return buffered.pop()!;
  };
  return {
    uniform: next,
    normal(): number {
      if (spare !== undefined) { const v = spare; spare = undefined; return v; }
      const u1 = 1 - next(), u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1)), t = 2 * Math.PI * u2;
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    },
  };
}
