/**
 * Grouping by dictionary-encoded key columns (Column.dictionary): rows are first grouped by
 * their codes, which are small dense integers, and only one representative row per distinct
 * code combination is hashed as a real key. A Parquet row group of 1M rows with a 100-entry
 * dictionary then costs 100 string hashes instead of 1M.
 */
import type { Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import { wasmComposite, wasmFirstAppearances } from '../wasm/codes.js';
import type { GroupTable } from './key-table.js';

/** Composite code spaces above this size fall back to the plain form. */
export const MAX_CODES = 1 << 22;

/** Wraps a table so key columns may arrive dictionary-encoded. */
export class DictKeyTable implements GroupTable {
  private seen = new Int32Array(0);

  constructor(private readonly inner: GroupTable) {}

  get size(): number { return this.inner.size; }
  keyColumns(): Column[] { return this.inner.keyColumns(); }
  groupHashes(): Int32Array | undefined { return this.inner.groupHashes?.(); }

  lookupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.inner.lookupIds(cols.map(plain), n, out);
  }

  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (!cols.some((c) => c.dictionary)) return this.inner.groupIds(cols, n, out);
    const space = codeSpace(cols);
    if (!(space <= MAX_CODES)) return this.inner.groupIds(cols.map(plain), n, out);
    return this.byCodes(cols, n, space, out);
  }

  private byCodes(cols: Column[], n: number, space: number, out?: Int32Array): Int32Array {
    const gids = out && out.length >= n ? out : new Int32Array(Math.max(n, out?.length ?? 0));
    if (this.seen.length < space) this.seen = new Int32Array(space);
    const seen = this.seen;
    // distinct codes in order of first appearance, so global ids keep that order
    const { composite, rows } = firstCodes(cols, n, seen, space);
    const reps = cols.map((c) => plain(takeColumn(c, rows)));
    const local = this.inner.groupIds(reps, rows.length);
    // code -> global id, then one pass over the rows
    for (let j = 0; j < rows.length; j++) seen[composite[rows[j]]] = local[j];
    mapCodes(gids, composite, seen, n);
    return gids;
  }
}

/** Size of the composite code space of key columns: each dictionary's entries plus one code for null; Infinity when a column is not dictionary-encoded. */
export function codeSpace(cols: Column[]): number {
  let space = 1;
  for (const c of cols) space *= c.dictionary ? c.dictionary.length + 1 : Infinity;
  return space;
}

/**
 * The composite codes of rows [0, n) of dictionary columns and the rows where each distinct
 * code first appears, in order; `seen` (at least `space` long) ends mapping each code that
 * occurs to its local id, -1 elsewhere. The scan stops once every possible code has appeared,
 * which for small dictionaries is early.
 */
export function firstCodes(cols: Column[], n: number, seen: Int32Array, space: number): { composite: Int32Array; rows: Int32Array } {
  const composite = compositeCodes(cols, n);
  seen.fill(-1, 0, space);
  const firstRow = new Int32Array(Math.min(n, space));
  const most = Math.min(possibleCodes(cols), n);
  let m = wasmFirstAppearances(composite, n, seen, space, firstRow, most);
  if (m < 0) m = firstAppearances(composite, n, seen, firstRow, most);
  return { composite, rows: firstRow.subarray(0, m) };
}

/** How many distinct codes dictionary columns can produce (a null is one more where there are nulls). */
function possibleCodes(cols: Column[]): number {
  let possible = 1;
  for (const c of cols) possible *= c.dictionary!.length + (c.valid ? 1 : 0);
  return possible;
}

/** Records in `seen` (code -> local id) and `firstRow` the codes in order of first appearance, until `most` are found; returns how many. */
function firstAppearances(composite: Int32Array, n: number, seen: Int32Array, firstRow: Int32Array, most: number): number {
  let m = 0;
  for (let i = 0; i < n && m < most; i++) {
    const k = composite[i];
    if (seen[k] < 0) { seen[k] = m; firstRow[m++] = i; }
  }
  return m;
}

/** gids[i] = map[composite[i]] for rows [0, n). */
export function mapCodes(gids: Int32Array, composite: Int32Array, map: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) gids[i] = map[composite[i]];
}

/** One code per row over all key columns (null = an extra code per column); a single key without nulls uses its codes as they are. */
function compositeCodes(cols: Column[], n: number): Int32Array {
  if (cols.length === 1 && !cols[0].valid) return cols[0].values as Int32Array;
  const strides = codeStrides(cols);
  if (cols.every((c) => !c.valid)) {
    const w = wasmComposite(cols.map((c) => c.values as Int32Array), strides, n);
    if (w) return w;
  }
  const composite = new Int32Array(n);
  cols.forEach((c, j) => {
    const m = c.dictionary!.length, codes = c.values as Int32Array, valid = c.valid, stride = strides[j];
    if (valid) for (let i = 0; i < n; i++) composite[i] += (valid[i] ? codes[i] : m) * stride;
    else if (stride === 1) composite.set(codes.subarray(0, n));
    else for (let i = 0; i < n; i++) composite[i] += codes[i] * stride;
  });
  return composite;
}

/**
 * Each key column's multiplier in the composite code: the product of the code counts
 * (dictionary entries plus one for null) of the columns before it.
 * @example codeStrides([a, b]) // [1, a.dictionary.length + 1]
 */
export function codeStrides(cols: Column[]): number[] {
  const strides = [1];
  for (let j = 1; j < cols.length; j++) strides.push(strides[j - 1] * (cols[j - 1].dictionary!.length + 1));
  return strides;
}
