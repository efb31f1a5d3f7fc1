/**
 * The hash join kernel: a table over the build side's key tuples, probed batch by batch.
 * SQL semantics: null keys never match; every pair of rows with equal keys is produced;
 * numbers compare by value whatever their dtype (int32 5 = int64 5 = float64 5.0; NaN
 * equals NaN, -0 equals 0, as DuckDB groups them); utf8 compares by bytes.
 */
import type { Batch, Column } from '../../../core/types.js';
import { createGroupTable, type GroupTable } from '../hash/key-table.js';
import { checkKeyTypes, keyColumns, nullKeyRows } from './key-hash.js';

/**
 * Which unmatched rows a join keeps: none, the probe (left) side's, or both sides'.
 * @example probe(table, left, ['id'], 'left')
 */
export type JoinHow = 'inner' | 'left' | 'outer';

/**
 * Row index pairs of a join result: `probe[i]` and `build[i]` for i < length, -1 standing
 * for the missing side of an unmatched row. The arrays may be longer than `length`.
 * @example for (let i = 0; i < p.length; i++) console.log(p.probe[i], p.build[i])
 */
export interface JoinPairs { probe: Int32Array; build: Int32Array; length: number }

/**
 * A build side ready to be probed: its distinct key tuples in a group table (the aggregates'
 * open-addressing tables, so a probe costs about one slot and one key comparison), each
 * group's rows in build order, and a matched flag per row.
 * @example const table: JoinTable = buildJoinTable(right, ['id'])
 */
export interface JoinTable {
  readonly batch: Batch;
  readonly keys: readonly string[];
  readonly cols: Column[];
  readonly groups: GroupTable;
  /** rows of group g: rows[start[g] .. start[g + 1]) */
  readonly start: Int32Array;
  readonly rows: Int32Array;
  /** 1 once a probe row matched the build row (for outer joins) */
  readonly matched: Uint8Array;
}

/**
 * Indexes `batch` (the build side) by the key columns `keys`. Rows with a null key are left
 * out of the index: they can never match, and {@link unmatched} reports them.
 * @example const t = buildJoinTable(right, ['id']); const pairs = probe(t, left, ['id'], 'left')
 */
export function buildJoinTable(batch: Batch, keys: readonly string[]): JoinTable {
  const n = batch.length;
  const cols = keyColumns(batch, keys, 'join key');
  const groups = createGroupTable(cols.map((c) => c.type));
  const gids = groups.groupIds(cols, n);
  const isNull = nullKeyRows(cols, n);
  const g = groups.size, start = new Int32Array(g + 1);
  for (let i = 0; i < n; i++) if (isNull === undefined || isNull[i] === 0) start[gids[i] + 1]++;
  for (let k = 0; k < g; k++) start[k + 1] += start[k];
  const rows = new Int32Array(start[g]), at = start.slice(0, g);
  for (let i = 0; i < n; i++) if (isNull === undefined || isNull[i] === 0) rows[at[gids[i]]++] = i;
  return { batch, keys, cols, groups, start, rows, matched: new Uint8Array(n) };
}

/**
 * The pairs of a probe batch against the table, in probe row order (each probe row's matches
 * in build order). `left` and `outer` also emit unmatched probe rows with build -1; the
 * build rows that matched are flagged for {@link unmatched}.
 * @example const { probe: li, build: ri, length } = probe(table, leftBatch, ['id'], 'inner')
 */
export function probe(table: JoinTable, batch: Batch, keys: readonly string[], how: JoinHow): JoinPairs {
  const n = batch.length;
  const cols = keyColumns(batch, keys, 'join key');
  checkKeyTypes(cols, table.cols, keys);
  const gids = table.groups.lookupIds(cols, n);
  const isNull = nullKeyRows(cols, n);
  const keepUnmatched = how !== 'inner';
  const { start, rows, matched } = table;
  let cap = Math.max(16, n), len = 0;
  let pi = new Int32Array(cap), bi = new Int32Array(cap);
  for (let i = 0; i < n; i++) {
    const g = isNull !== undefined && isNull[i] !== 0 ? -1 : gids[i];
    const s = g < 0 ? 0 : start[g], e = g < 0 ? 0 : start[g + 1];
    const need = e > s ? e - s : keepUnmatched ? 1 : 0;
    if (len + need > cap) {
      cap = Math.max(cap * 2, len + need);
      const a = new Int32Array(cap); a.set(pi); pi = a;
      const c = new Int32Array(cap); c.set(bi); bi = c;
    }
    if (e > s) {
      for (let k = s; k < e; k++) { const j = rows[k]; pi[len] = i; bi[len++] = j; matched[j] = 1; }
    } else if (keepUnmatched) {
      pi[len] = i; bi[len++] = -1;
    }
  }
  return { probe: pi, build: bi, length: len };
}

/**
 * The build rows no probe matched (null-key rows included), as pairs with probe -1: the
 * rest of an outer join, once every probe batch has been through {@link probe}.
 * @example const rest = unmatched(table); joinBatches(emptyLeft, table.batch, rest, { on, how: 'outer' })
 */
export function unmatched(table: JoinTable): JoinPairs {
  const m = table.matched;
  let count = 0;
  for (let j = 0; j < m.length; j++) count += m[j] ^ 1;
  const build = new Int32Array(count), probePart = new Int32Array(count).fill(-1);
  for (let j = 0, k = 0; j < m.length; j++) if (m[j] === 0) build[k++] = j;
  return { probe: probePart, build, length: count };
}
