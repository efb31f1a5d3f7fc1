/** Hash partitioning of batches, for spilling aggregates and grace joins. */
import type { Batch, Column } from '../../../core/types.js';
import { takeBatch } from '../../column/take.js';
import { hashKeyRows, nullKeyRows } from './key-hash.js';

/**
 * What happens to rows with a null key: `group` hashes null as a value (an aggregate's null
 * group must stay in one partition), `spread` deals them round-robin (a join never matches
 * them, so any partition will do, and they cannot pile up in one), `drop` leaves them out.
 * @example partitionIds(cols, n, 16, partitionSeed(0), 'spread', rowsSoFar)
 */
export type NullKeys = 'group' | 'spread' | 'drop';

/**
 * The partition (0..parts-1, or -1 for a dropped row) of each row of the key tuple `cols`.
 * `spreadFrom` is the running row number used to deal null-key rows in `spread` mode.
 * @example const pids = partitionIds(keyColumns(b, ['k']), b.length, 16, partitionSeed(0), 'group')
 */
export function partitionIds(cols: Column[], n: number, parts: number, seed: number, nulls: NullKeys, spreadFrom = 0): Int32Array {
  const pids = hashKeyRows(cols, n, seed);
  for (let i = 0; i < n; i++) pids[i] = (pids[i] >>> 0) % parts;
  if (nulls === 'group') return pids;
  const isNull = nullKeyRows(cols, n);
  if (isNull) {
    const drop = nulls === 'drop';
    for (let i = 0; i < n; i++) if (isNull[i]) pids[i] = drop ? -1 : (spreadFrom + i) % parts;
  }
  return pids;
}

/**
 * The rows of `batch` per partition, in their input order; undefined for a partition that
 * gets no rows.
 * @example splitByPartition(batch, pids, 16).forEach((b, p) => b && files[p].append(b))
 */
export function splitByPartition(batch: Batch, pids: Int32Array, parts: number): (Batch | undefined)[] {
  const n = batch.length;
  const count = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) if (pids[i] >= 0) count[pids[i] + 1]++;
  for (let p = 0; p < parts; p++) count[p + 1] += count[p];
  const order = new Int32Array(count[parts]);
  const at = count.slice(0, parts);
  for (let i = 0; i < n; i++) { const p = pids[i]; if (p >= 0) order[at[p]++] = i; }
  const out: (Batch | undefined)[] = [];
  for (let p = 0; p < parts; p++) {
    const s = count[p], e = count[p + 1];
    out.push(e > s ? takeBatch(batch, order.subarray(s, e)) : undefined);
  }
  return out;
}
