/**
 * topk(k, key): the k largest items by key, sorted descending; equal keys keep the order of
 * first appearance. Each partition keeps its k best in a bounded heap; the coordinator merges
 * the partials in partition order.
 */
import type { ItemLocation } from '../udf/user-error.js';
import { compareKeys, keyFunction } from './keys.js';
import type { Reduction } from './plan.js';
import type { LocalReducer, Merger } from './reduce.js';

type TopkReduction = Extract<Reduction, { kind: 'topk' }>;
/** An item with its key and position (index in its partition) */
type Entry = [value: unknown, key: unknown, index: number];
/** As merged: with the partition too */
type Ranked = [value: unknown, key: unknown, seq: number, index: number];

/** Positive when a ranks before b: larger key, then earlier position. */
const better = (a: Entry, b: Entry): number => compareKeys(a[1], b[1]) || b[2] - a[2];

/** A min-heap on `better`: the root is the worst of the kept entries. */
class Worst {
  readonly items: Entry[] = [];
  push(e: Entry): void {
    const h = this.items;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (better(h[p], e) <= 0) break;
      h[i] = h[p]; i = p;
    }
    h[i] = e;
  }
  replaceRoot(e: Entry): void {
    const h = this.items, n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i, best = e;
      if (l < n && better(h[l], best) < 0) { m = l; best = h[l]; }
      if (r < n && better(h[r], best) < 0) { m = r; best = h[r]; }
      if (m === i) break;
      h[i] = h[m]; i = m;
    }
    h[i] = e;
  }
}

/**
 * The partition's k best items, with keys and positions.
 * @example const r = topkLocal({ kind: 'topk', k: 1 }, at); r.add(3); r.add(5); r.partial() // [[5, 5, 1]]
 */
export function topkLocal(r: TopkReduction, at: ItemLocation): LocalReducer {
  const heap = new Worst();
  const key = keyFunction(r.key, at);
  let index = 0;
  return {
    add(x) {
      const e: Entry = [x, key(x), index++];
      if (heap.items.length < r.k) heap.push(e);
      else if (r.k > 0 && better(e, heap.items[0]) > 0) heap.replaceRoot(e);
    },
    partial: () => heap.items,
  };
}

const rankOrder = (a: Ranked, b: Ranked): number => compareKeys(b[1], a[1]) || a[2] - b[2] || a[3] - b[3];

/**
 * Merges partition partials (in partition order) into the k best, sorted descending.
 * @example const m = topkMerger({ kind: 'topk', k: 1 }); m.add([[5, 5, 1]]); m.add([[5, 5, 0]]); m.result() // [5] (the first)
 */
export function topkMerger(r: TopkReduction): Merger {
  let best: Ranked[] = [];
  let seq = 0;
  return {
    add(partial) {
      const s = seq++;
      for (const [v, k, i] of partial as Entry[]) best.push([v, k, s, i]);
      best.sort(rankOrder);
      if (best.length > r.k) best = best.slice(0, r.k);
    },
    result: () => best.map((e) => e[0]),
  };
}
