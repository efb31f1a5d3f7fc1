/** `ts.array.compute(a, b, ..., opts?)`: several arrays in one computation. */
import { PlanError } from '../errors.js';
import { LazyArray } from './lazy-array.js';
import { computeArrays, type ComputedArray } from './materialize.js';
import type { ArrayRunOptions } from './run.js';

/**
 * Computes several arrays together, sharing what they share: each frame column is read once,
 * and reductions and Blelloch scans over the same array run in one pass over it. A trailing
 * plain object holds the options.
 * @example
 * const y = ts.array.exp(x).add(ts.array.sin(x).mul(3));
 * const [m, last] = await ts.array.compute(y.mean({ axis: 0 }), y.cumsum({ axis: 1 }).slice([0, n], [n - 1, n]).sum());
 */
export function compute(...args: (LazyArray | ArrayRunOptions)[]): Promise<ComputedArray[]> {
  const opts = args.length && !(args[args.length - 1] instanceof LazyArray) ? (args.pop() as ArrayRunOptions) : undefined;
  args.forEach((a, i) => {
    if (!(a instanceof LazyArray)) throw new PlanError(`array.compute(): argument ${i + 1} is not a LazyArray`);
  });
  return computeArrays(args as LazyArray[], opts);
}
