/** Elementwise functions of arrays (fused into the per-chunk loop with their neighbours). */
import { PlanError } from '../errors.js';
import type { UnaryFn } from '../../ops/kernels/array/plan.js';
import { LazyArray, operand, type ArrayLike } from './lazy-array.js';

const unary = (fn: UnaryFn) => (a: LazyArray): LazyArray => {
  if (!(a instanceof LazyArray)) throw new PlanError(`${fn}: expected an array, got ${typeof a}`);
  return new LazyArray({ op: 'unary', fn, shape: a.shape, x: a.node }, a.chunks);
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
 * `a` where `cond` is non-zero, else `b` (scalars broadcast; the result takes the chunks of the first array argument).
 * @example ts.array.where(x.gt(0.5), x, 0)
 */
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): LazyArray {
  const first = [cond, a, b].find((v): v is LazyArray => v instanceof LazyArray && v.ndim > 0) ?? [cond, a, b].find((v): v is LazyArray => v instanceof LazyArray);
  if (!first) throw new PlanError('where: at least one argument must be an array');
  const shape = first.shape;
  const c = operand(cond, shape, 'where (cond)');
  return new LazyArray({ op: 'where', shape, c, a: operand(a, shape, 'where (a)'), b: operand(b, shape, 'where (b)') }, first.chunks);
}
