/** Coordinator side of a distributed sort: k-way merge of per-partition sorted batches. */
import type { Batch } from '../../../core/types.js';
import { concatBatches, takeBatch } from '../../column/take.js';
import { crossComparator } from './compare.js';

/**
 * Merges batches that are each sorted by `by`/`descending` (as {@link sortIndices} sorts)
 * into one sorted batch. Stable: among equal rows, earlier batches come first, so merging
 * sorted partitions in source order equals sorting their concatenation.
 * @example mergeSorted([sortedPart0, sortedPart1], ['k'], [false])
 */
export function mergeSorted(batches: Batch[], by: string[], descending: boolean[]): Batch {
  const parts = batches.filter((b) => b.length > 0);
  if (parts.length === 0) return batches[0] ?? { length: 0, columns: {} };
  if (parts.length === 1) return parts[0];
  const cmp = crossComparator(parts, by, descending);
  const k = parts.length, start = new Int32Array(k + 1);
  for (let b = 0; b < k; b++) start[b + 1] = start[b] + parts[b].length;
  const out = new Int32Array(start[k]);
  // heap of batch numbers ordered by their current row; ties favour the lower batch
  const pos = new Int32Array(k), heap = new Int32Array(k);
  const less = (a: number, b: number): boolean => { const d = cmp(a, pos[a], b, pos[b]); return d < 0 || (d === 0 && a < b); };
  let size = 0;
  for (let b = 0; b < k; b++) {
    let i = size++;
    while (i > 0) { const p = (i - 1) >> 1; if (!less(b, heap[p])) break; heap[i] = heap[p]; i = p; }
    heap[i] = b;
  }
  let o = 0;
  while (size > 0) {
    const b = heap[0];
    out[o++] = start[b] + pos[b]++;
    if (pos[b] === parts[b].length) heap[0] = heap[--size];
    // sift the (advanced or replaced) root down
    let i = 0;
    const x = heap[0];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
      if (!less(heap[c], x)) break;
      heap[i] = heap[c]; i = c;
    }
    heap[i] = x;
  }
  return takeBatch(concatBatches(parts), out);
}
