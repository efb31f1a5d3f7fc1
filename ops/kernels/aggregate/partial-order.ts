/**
 * The row order of keyed partial aggregates. Partials of many groups travel ordered by the low
 * bits of their keys' hash, so the combining table probes its slots, key records and states in
 * a few sequential sweeps instead of at random (cache misses dominate merging ~100k-group
 * partials). Every keyed partial carries `#first`, each row's first-appearance rank in the
 * aggregator that made it, so the combiner restores first-appearance order (and spilled
 * partials share one schema).
 */
import type { Batch, Column } from '../../../core/types.js';
import { takeColumn } from '../../column/take.js';

/** The partial column holding each row's first-appearance rank. */
export const FIRST = '#first';

/** Partials from this many groups on are shipped in hash order (smaller ones fit in cache anyway). */
export const HASH_ORDER_MIN = 4096;

/** Row order by the low bits of each row's hash (a counting sort; stable). */
function hashOrder(hashes: Int32Array, n: number): Int32Array {
  const bits = Math.min(20, Math.max(8, Math.ceil(Math.log2(n)) + 1)), mask = (1 << bits) - 1;
  const start = new Int32Array(mask + 2);
  for (let i = 0; i < n; i++) start[(hashes[i] & mask) + 1]++;
  for (let b = 0; b <= mask; b++) start[b + 1] += start[b];
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[start[hashes[i] & mask]++] = i;
  return perm;
}

/**
 * A keyed partial of `n` groups in first-appearance order, given its columns and (when worth
 * it and known) each group's hash as the combining table computes it: reordered by hash with
 * `#first` ranks, or as it is with ranks 0..n-1.
 * @example const partial = orderedPartial(columns, groups, table.groupHashes?.());
 */
export function orderedPartial(columns: Record<string, Column>, n: number, hashes: Int32Array | undefined): Batch {
  if (!hashes || n < HASH_ORDER_MIN) {
    const rank = new Int32Array(n);
    for (let g = 0; g < n; g++) rank[g] = g;
    return { length: n, columns: { ...columns, [FIRST]: { type: 'int32', length: n, values: rank, nullCount: 0 } } };
  }
  const perm = hashOrder(hashes, n);
  const ordered: Record<string, Column> = {};
  for (const [name, c] of Object.entries(columns)) ordered[name] = takeColumn(c, perm);
  ordered[FIRST] = { type: 'int32', length: n, values: perm, nullCount: 0 };
  return { length: n, columns: ordered };
}
