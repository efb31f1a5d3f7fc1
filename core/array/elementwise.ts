/** Elementwise functions of arrays (fused into the per-chunk loop with their neighbours). */
import { PlanError } from '../errors.js';
import type { UnaryFn } from '../../ops/kernels/array/plan.js';
import { broadcastHint } from './deferred.js';
import { deferOn, elementwise, LazyArray, type ArrayLike } from './lazy-array.js';

const unary = (fn: UnaryFn) => (a: LazyArray): LazyArray => {
  if (!(a instanceof LazyArray)) throw new PlanError(`${fn}: expected an array, got ${typeof a}`);
  return deferOn([a], a.shape, (x) => unary(fn)(x)) ?? new LazyArray({ op: 'unary', fn, shape: a.shape, x: a.node }, a.chunks);
};

/** @example ts.array.exp(a) */
export const exp = unary('exp');
/** @example ts.array.sin(a) */
export const sin = unary('sin');
/** @example ts.array.cos(a) */
export const cos = unary('cos');
/** Natural logarithm. @example ts.array.log(a) */
export const log = unary('log');
/** @example ts.array.sqrt(a) */
export const sqrt = unary('sqrt');
/** @example ts.array.abs(a) */
export const abs = unary('abs');

/**
 * `a` where `cond` is non-zero, else `b`. The three broadcast together (NumPy rules; numbers
 * are scalars); chunks along each axis come from the first argument spanning it.
 * @example ts.array.where(x.gt(0.5), x, 0)
 */
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): LazyArray {
  const args: [ArrayLike, ArrayLike, ArrayLike] = [cond, a, b];
  if (!args.some((v) => v instanceof LazyArray)) throw new PlanError('where: at least one argument must be an array');
  const later = deferOn(args, broadcastHint(args.map((v) => (v instanceof LazyArray ? v.shape : []))), where);
  return later ?? elementwise(args, 'where', ([c, x, y], shape) => ({ op: 'where', shape, c, a: x, b: y }));
}
