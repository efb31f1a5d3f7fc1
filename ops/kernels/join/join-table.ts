/**
 * The hash join kernel: a table over the build side's key tuples, probed batch by batch.
 * SQL semantics: null keys never match; every pair of rows with equal keys is produced;
 * numbers compare by value whatever their dtype (int32 5 = int64 5 = float64 5.0; NaN
 * equals NaN, -0 equals 0, as DuckDB groups them); utf8 compares by bytes.
 */
import type { Batch, Column } from '../../../core/types.js';
import { asFloat64 } from '../hash/grow.js';
import { checkKeyTypes, hashKeyRows, keyColumns, nullKeyRows, partitionSeed } from './key-hash.js';

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
 * A build side ready to be probed: key hashes in bucket chains plus a matched flag per row.
 * @example const table: JoinTable = buildJoinTable(right, ['id'])
 */
export interface JoinTable {
  readonly batch: Batch;
  readonly keys: readonly string[];
  readonly cols: Column[];
  readonly hashes: Int32Array;
  /** per bucket, first row + 1 (0 = empty); chains run in row order */
  readonly head: Int32Array;
  /** per row, next row of its bucket + 1 */
  readonly next: Int32Array;
  readonly mask: number;
  /** 1 once a probe row matched the build row (for outer joins) */
  readonly matched: Uint8Array;
}

/** Joins use their own hash seed, unrelated to the partitioning seeds. */
const TABLE_SEED = partitionSeed(-7);

/**
 * Indexes `batch` (the build side) by the key columns `keys`. Rows with a null key are left
 * out of the index: they can never match, and {@link unmatched} reports them.
 * @example const t = buildJoinTable(right, ['id']); const pairs = probe(t, left, ['id'], 'left')
 */
export function buildJoinTable(batch: Batch, keys: readonly string[]): JoinTable {
  const n = batch.length;
  const cols = keyColumns(batch, keys, 'join key');
  const hashes = hashKeyRows(cols, n, TABLE_SEED);
  let buckets = 16;
  while (buckets < 2 * n) buckets *= 2;
  const mask = buckets - 1, head = new Int32Array(buckets), next = new Int32Array(n);
  const isNull = nullKeyRows(cols, n);
  // inserting from the last row makes every chain ascend, so matches come out in build order
  for (let i = n - 1; i >= 0; i--) {
    if (isNull !== undefined && isNull[i] !== 0) continue;
    const b = hashes[i] & mask;
    next[i] = head[b];
    head[b] = i + 1;
  }
  return { batch, keys, cols, hashes, head, next, mask, matched: new Uint8Array(n) };
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
  const hashes = hashKeyRows(cols, n, TABLE_SEED);
  const isNull = nullKeyRows(cols, n);
  const eq = equality(cols, table.cols);
  const keepUnmatched = how !== 'inner';
  const { head, next, mask, matched } = table, bh = table.hashes;
  let cap = Math.max(16, n), len = 0;
  let pi = new Int32Array(cap), bi = new Int32Array(cap);
  const push = (p: number, b: number): void => {
    if (len === cap) {
      cap *= 2;
      const a = new Int32Array(cap); a.set(pi); pi = a;
      const c = new Int32Array(cap); c.set(bi); bi = c;
    }
    pi[len] = p; bi[len++] = b;
  };
  for (let i = 0; i < n; i++) {
    let found = false;
    if (isNull === undefined || isNull[i] === 0) {
      const h = hashes[i];
      for (let j = head[h & mask] - 1; j >= 0; j = next[j] - 1) {
        if (bh[j] !== h || !eq(i, j)) continue;
        push(i, j);
        matched[j] = 1;
        found = true;
      }
    }
    if (!found && keepUnmatched) push(i, -1);
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

/** Key equality of probe row i and build row j over every key column (callers skip null keys). */
function equality(a: Column[], b: Column[]): (i: number, j: number) => boolean {
  const tests = a.map((c, k) => columnEquality(c, b[k]));
  if (tests.length === 1) return tests[0];
  return (i, j) => {
    for (let k = 0; k < tests.length; k++) if (!tests[k](i, j)) return false;
    return true;
  };
}

function columnEquality(a: Column, b: Column): (i: number, j: number) => boolean {
  if (a.type === 'utf8') {
    const av = a.values as Uint8Array, ao = a.offsets!, bv = b.values as Uint8Array, bo = b.offsets!;
    return (i, j) => {
      const s = ao[i], len = ao[i + 1] - s, t = bo[j];
      if (bo[j + 1] - t !== len) return false;
      for (let k = 0; k < len; k++) if (av[s + k] !== bv[t + k]) return false;
      return true;
    };
  }
  const av = asFloat64(a.values), bv = asFloat64(b.values);
  return (i, j) => {
    const x = av[i], y = bv[j];
    return x === y || (x !== x && y !== y);
  };
}
