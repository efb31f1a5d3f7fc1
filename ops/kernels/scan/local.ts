/**
 * The per-partition half of a scan: a running value over the partition's rows (nulls keep
 * the running value and yield null; count scans are never null) plus the partition's total
 * (its carry-out), ungrouped or one per key.
 */
import { allocValues, type Batch, type Column, type DType, type NumericArray } from '../../../core/types.js';
import { createGroupTable } from '../hash/key-table.js';
import { scanOp, type ScanOp } from './ops.js';

const BUILTIN_SUM = scanOp('sum');

/** What a partition hands to the coordinator for stitching. */
export interface ScanCarry {
  /** ungrouped: the partition total and whether any value contributed */
  total?: number;
  seen?: boolean;
  /** non-null values the local scan produced (set by the task, for shifted aggregates) */
  counted?: number;
  /** grouped: local group id per row, the distinct keys (local id order) and per-group totals */
  gids?: Int32Array;
  keys?: Batch;
  totals?: Float64Array;
  groupSeen?: Uint8Array;
}

function outColumn(type: DType, n: number): NumericArray { return allocValues(type, n); }

/**
 * Local scan of `x` (already evaluated) into a new column of `type`, or into `into` (an array
 * of that type with room for the rows) when the caller owns one.
 */
export function localScan(x: Column, s: ScanOp, type: DType, keys?: Column[], into?: NumericArray): { out: Column; carry: ScanCarry } {
  const n = x.length, src = x.values, valid = x.valid;
  const values = into && into.length >= n && into.constructor === allocValues(type, 0).constructor ? into.subarray(0, n) as NumericArray : outColumn(type, n);
  const outValid = s.counts || !valid ? undefined : valid.slice();
  if (!keys && !valid && s === BUILTIN_SUM) {
    // the common case, kept free of the operator call
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += src[i]; values[i] = acc; }
    return { out: col(type, values, outValid), carry: { total: acc, seen: n > 0 } };
  }
  if (!keys) {
    let acc = s.identity, seen = false;
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) { if (s.counts) values[i] = acc; continue; }
      acc = s.op(acc, s.counts ? 1 : src[i]);
      seen = true;
      values[i] = acc;
    }
    return { out: col(type, values, outValid), carry: { total: acc, seen } };
  }
  const table = createGroupTable(keys.map((k) => k.type));
  const gids = table.groupIds(keys, n).slice(0, n);
  const groups = table.size;
  const acc = new Float64Array(groups).fill(s.identity);
  const groupSeen = new Uint8Array(groups);
  for (let i = 0; i < n; i++) {
    const g = gids[i];
    if (valid && !valid[i]) { if (s.counts) values[i] = acc[g]; continue; }
    acc[g] = s.op(acc[g], s.counts ? 1 : src[i]);
    groupSeen[g] = 1;
    values[i] = acc[g];
  }
  const kc = table.keyColumns();
  const kb: Batch = { length: groups, columns: {} };
  kc.forEach((c, j) => { kb.columns[`#k${j}`] = c; });
  return { out: col(type, values, outValid), carry: { gids, keys: kb, totals: acc, groupSeen } };
}

function col(type: DType, values: NumericArray, valid?: Uint8Array): Column {
  let nulls = 0;
  if (valid) for (let i = 0; i < valid.length; i++) nulls += valid[i] ^ 1;
  return { type, length: values.length, values, valid: nulls ? valid : undefined, nullCount: nulls };
}
