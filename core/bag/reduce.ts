/**
 * Reductions, split Dask-style: a local part run per partition in the worker (whose partial
 * crosses back to the coordinator) and a merger fed the partials in partition order.
 */
import type { ItemLocation } from '../udf/user-error.js';
import type { Sink } from './chain.js';
import type { Reduction } from './plan.js';
import { distinctLocal, distinctMerger, frequenciesLocal, frequenciesMerger } from './reduce-distinct.js';
import { foldbyLocal, foldbyMerger } from './reduce-foldby.js';
import { topkLocal, topkMerger } from './reduce-topk.js';

/**
 * Worker side: takes the partition's items, then gives its partial.
 * @example const l = localReducer(r, at); items.forEach(l.add); return l.partial();
 */
export interface LocalReducer { add: Sink; partial(): unknown }
/**
 * Coordinator side: takes partials in partition order, then gives the output items.
 * @example const m = merger(r); partials.forEach((p) => m.add(p)); m.result();
 */
export interface Merger { add(partial: unknown): void; result(): unknown[] }

/**
 * The local part of `r` for one partition.
 * @example const l = localReducer({ kind: 'count' }, { seq: 0, index: 0 }); l.add('x'); l.partial() // 1
 */
export function localReducer(r: Reduction, at: ItemLocation): LocalReducer {
  switch (r.kind) {
    case 'count': { let n = 0; return { add: () => { n++; }, partial: () => n }; }
    case 'frequencies': return frequenciesLocal();
    case 'distinct': return distinctLocal(r, at);
    case 'topk': return topkLocal(r, at);
    case 'foldby': return foldbyLocal(r, at);
  }
}

/**
 * The merging part of `r`.
 * @example const m = merger({ kind: 'count' }); m.add(2); m.add(3); m.result() // [5]
 */
export function merger(r: Reduction): Merger {
  switch (r.kind) {
    case 'count': { let n = 0; return { add: (p) => { n += p as number; }, result: () => [n] }; }
    case 'frequencies': return frequenciesMerger();
    case 'distinct': return distinctMerger(r);
    case 'topk': return topkMerger(r);
    case 'foldby': return foldbyMerger(r);
  }
}
