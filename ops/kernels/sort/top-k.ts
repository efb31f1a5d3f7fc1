/** The first k rows of a sort without sorting everything: a bounded max-heap over row indices. */
import type { Batch } from '../../../core/types.js';
import { crossComparator } from './compare.js';
import { sortIndices } from './sort-indices.js';

/**
 * Indices of the first `k` rows of `sortIndices(batch, by, descending)`, in that order (the
 * same rows, ties resolved by input order). Costs O(n log k) comparisons, most of them a
 * single rejection against the heap top, instead of a full sort.
 * @example takeBatch(batch, topK(batch, ['delay'], [true], 10)) // the 10 largest delays
 */
export function topK(batch: Batch, by: string[], descending: boolean[], k: number): Int32Array {
  const n = batch.length;
  k = Math.max(0, Math.min(k, n));
  // beyond a fraction of n, heap maintenance costs more than a radix sort of everything
  if (k === 0) return new Int32Array(0);
  if (k * 8 >= n) return sortIndices(batch, by, descending).slice(0, k);
  const cmp = crossComparator([batch], by, descending);
  // rows are visited in index order, so a tie means the heap's row came first and stays "smaller"
  const less = (a: number, b: number): boolean => { const d = cmp(0, a, 0, b); return d < 0 || (d === 0 && a < b); };
  const heap = new Int32Array(k);
  for (let i = 0; i < k; i++) { heap[i] = i; siftUp(heap, i, less); }
  for (let i = k; i < n; i++) {
    if (!less(i, heap[0])) continue;
    heap[0] = i;
    siftDown(heap, k, less);
  }
  return Int32Array.from(Array.from(heap).sort((a, b) => (less(a, b) ? -1 : 1)));
}

// max-heap: the root is the largest (last in sort order) of the kept rows

function siftUp(h: Int32Array, i: number, less: (a: number, b: number) => boolean): void {
  const x = h[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(h[p], x)) break;
    h[i] = h[p]; i = p;
  }
  h[i] = x;
}

function siftDown(h: Int32Array, n: number, less: (a: number, b: number) => boolean): void {
  let i = 0;
  const x = h[0];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(h[c], h[c + 1])) c++;
    if (!less(x, h[c])) break;
    h[i] = h[c]; i = c;
  }
  h[i] = x;
}
