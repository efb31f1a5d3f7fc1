/**
 * Grouping by dictionary-encoded key columns (Column.dictionary): rows are first grouped by
 * their codes, which are small dense integers, and only one representative row per distinct
 * code combination is hashed as a real key. A Parquet row group of 1M rows with a 100-entry
 * dictionary then costs 100 string hashes instead of 1M.
 */
import type { Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import type { GroupTable } from './key-table.js';

/** Composite code spaces above this size fall back to the plain form. */
const MAX_CODES = 1 << 22;

/** Wraps a table so key columns may arrive dictionary-encoded. */
export class DictKeyTable implements GroupTable {
  private seen = new Int32Array(0);

  constructor(private readonly inner: GroupTable) {}

  get size(): number { return this.inner.size; }
  keyColumns(): Column[] { return this.inner.keyColumns(); }

  lookupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.inner.lookupIds(cols.map(plain), n, out);
  }

  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (!cols.some((c) => c.dictionary)) return this.inner.groupIds(cols, n, out);
    // code space: each dictionary's entries plus one slot for null
    let space = 1;
    for (const c of cols) space *= c.dictionary ? c.dictionary.length + 1 : Infinity;
    if (!(space <= MAX_CODES)) return this.inner.groupIds(cols.map(plain), n, out);
    return this.byCodes(cols, n, space, out);
  }

  private byCodes(cols: Column[], n: number, space: number, out?: Int32Array): Int32Array {
    const gids = out && out.length >= n ? out : new Int32Array(Math.max(n, out?.length ?? 0));
    const composite = compositeCodes(cols, n);
    if (this.seen.length < space) this.seen = new Int32Array(space);
    const seen = this.seen;
    seen.fill(-1, 0, space);
    // local ids in order of first appearance, so global ids keep first-appearance order
    const firstRow = new Int32Array(Math.min(n, space));
    let m = 0;
    for (let i = 0; i < n; i++) {
      const k = composite[i];
      let l = seen[k];
      if (l < 0) { l = seen[k] = m; firstRow[m++] = i; }
      gids[i] = l;
    }
    const rows = firstRow.subarray(0, m);
    const reps = cols.map((c) => plain(takeColumn(c, rows)));
    const local = this.inner.groupIds(reps, m);
    for (let i = 0; i < n; i++) gids[i] = local[gids[i]];
    return gids;
  }
}

/** One code per row over all key columns (null = an extra code per column); a single key without nulls uses its codes as they are. */
function compositeCodes(cols: Column[], n: number): Int32Array {
  if (cols.length === 1 && !cols[0].valid) return cols[0].values as Int32Array;
  const composite = new Int32Array(n);
  let stride = 1;
  for (const c of cols) {
    const m = c.dictionary!.length, codes = c.values as Int32Array, valid = c.valid;
    if (valid) for (let i = 0; i < n; i++) composite[i] += (valid[i] ? codes[i] : m) * stride;
    else if (stride === 1) composite.set(codes.subarray(0, n));
    else for (let i = 0; i < n; i++) composite[i] += codes[i] * stride;
    stride *= m + 1;
  }
  return composite;
}
