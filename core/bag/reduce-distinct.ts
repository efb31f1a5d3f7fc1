/**
 * frequencies() and distinct(): per partition, the distinct values (or keys) in first-appearance
 * order with their counts; merged in partition order, so the output lists values in order of
 * first appearance across the whole bag.
 */
import type { ItemLocation } from '../udf/user-error.js';
import { keyFunction, ValueIndex } from './keys.js';
import type { Reduction } from './plan.js';
import type { LocalReducer, Merger } from './reduce.js';

type Counted = [value: unknown, count: number];
type Keyed = [key: unknown, value: unknown];

/**
 * Per-partition counts of each distinct value, as `[value, count]` pairs.
 * @example const r = frequenciesLocal(); r.add('a'); r.add('a'); r.partial() // [['a', 2]]
 */
export function frequenciesLocal(): LocalReducer {
  const ix = new ValueIndex<Counted>();
  return {
    add(x) { ix.slot(x, () => [x, 0])[1]++; },
    partial: () => ix.entries,
  };
}

/**
 * Sums partial counts in partition order.
 * @example const m = frequenciesMerger(); m.add([['a', 2]]); m.add([['a', 1]]); m.result() // [['a', 3]]
 */
export function frequenciesMerger(): Merger {
  const ix = new ValueIndex<Counted>();
  return {
    add(partial) { for (const [v, n] of partial as Counted[]) ix.slot(v, () => [v, 0])[1] += n; },
    result: () => ix.entries,
  };
}

/**
 * The first item of each distinct key in the partition, as `[key, item]` pairs (items alone without a key function).
 * @example const r = distinctLocal({ kind: 'distinct' }, at); r.add(1); r.add(1); r.partial() // [1]
 */
export function distinctLocal(r: Extract<Reduction, { kind: 'distinct' }>, at: ItemLocation): LocalReducer {
  const ix = new ValueIndex<Keyed>();
  const key = keyFunction(r.key, at);
  return {
    add(x) { const k = key(x); ix.slot(k, () => [k, x]); },
    // without a key function the key is the item: send it once
    partial: () => (r.key ? ix.entries : ix.entries.map((e) => e[1])),
  };
}

/**
 * Keeps the first item of each key across partitions, in partition order.
 * @example const m = distinctMerger({ kind: 'distinct' }); m.add([1]); m.add([1, 2]); m.result() // [1, 2]
 */
export function distinctMerger(r: Extract<Reduction, { kind: 'distinct' }>): Merger {
  const ix = new ValueIndex<Keyed>();
  return {
    add(partial) {
      if (r.key) for (const e of partial as Keyed[]) ix.slot(e[0], () => e);
      else for (const x of partial as unknown[]) ix.slot(x, () => [x, x]);
    },
    result: () => ix.entries.map((e) => e[1]),
  };
}
