/**
 * foldby(key, binop, initial, combine, combineInitial): per partition, fold each key's items
 * with `binop` (from a copy of `initial`, or from the first item when there is none); on the
 * coordinator, fold each key's partials with `combine` in partition order (from a copy of
 * `combineInitial`, or from the first partial). Keys come out in order of first appearance.
 */
import { rebuildFunction } from '../udf/rebuild.js';
import { userError, type ItemLocation } from '../udf/user-error.js';
import { keyFunction, ValueIndex } from './keys.js';
import type { Reduction } from './plan.js';
import type { LocalReducer, Merger } from './reduce.js';

type FoldbyReduction = Extract<Reduction, { kind: 'foldby' }>;
type Acc = [key: unknown, acc: unknown, started: boolean];

/**
 * Folds one value into a key's accumulator, starting from a fresh copy of `init` when given
 * (a shared mutable initial value would leak between keys).
 */
function fold(slot: Acc, x: unknown, init: { value: unknown } | undefined, op: (a: unknown, b: unknown) => unknown): void {
  if (!slot[2]) {
    slot[2] = true;
    if (!init) { slot[1] = x; return; }
    slot[1] = structuredClone(init.value);
  }
  slot[1] = op(slot[1], x);
}

/**
 * Per-partition accumulators as `[key, acc]` pairs.
 * @example foldbyLocal(r, at) // add(x) folds x into the accumulator of key(x)
 */
export function foldbyLocal(r: FoldbyReduction, at: ItemLocation): LocalReducer {
  const ix = new ValueIndex<Acc>();
  const key = keyFunction(r.key, at);
  const binop = rebuildFunction(r.binop);
  const op = (a: unknown, x: unknown): unknown => {
    try { return binop(a, x, r.context); } catch (e) { throw userError('foldby binop', x, at, e); }
  };
  return {
    add(x) { const k = key(x); fold(ix.slot(k, () => [k, undefined, false]), x, r.initial, op); },
    partial: () => ix.entries.map(([k, a]) => [k, a]),
  };
}

/**
 * Combines the partials of each key in partition order; the result is `[key, value]` pairs.
 * @example const m = foldbyMerger(r); m.add([['a', 1]]); m.add([['a', 2]]); m.result() // [['a', 3]] with combine = (a, b) => a + b
 */
export function foldbyMerger(r: FoldbyReduction): Merger {
  const ix = new ValueIndex<Acc>();
  const combine = rebuildFunction(r.combine);
  const op = (a: unknown, b: unknown): unknown => {
    try { return combine(a, b, r.context); } catch (e) { throw userError('foldby combine', b, undefined, e); }
  };
  return {
    add(partial) { for (const [k, a] of partial as [unknown, unknown][]) fold(ix.slot(k, () => [k, undefined, false]), a, r.combineInitial, op); },
    result: () => ix.entries.map(([k, a]) => [k, a]),
  };
}
