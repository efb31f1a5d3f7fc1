/** Output columns of a join from its row index pairs. */
import { allocValues, isIntegerType, type Batch, type Column, type DType, type NumericArray } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import type { JoinHow, JoinPairs } from './join-table.js';

/**
 * How {@link joinBatches} names and fills the output.
 * @example joinBatches(left, right, pairs, { on: ['id'], how: 'outer', suffix: '_r' })
 */
export interface AssembleOptions {
  /** the key columns (same names on both sides); they appear once, from the left */
  on: readonly string[];
  /** with 'outer', a key is taken from the right where the left row is missing */
  how?: JoinHow;
  /** appended to right-side names that clash with left names, default '_right' */
  suffix?: string;
}

/**
 * The joined rows: every left (probe) column, then every right (build) column except the
 * keys, renamed with the suffix when the name is taken. A missing side (-1) gives nulls.
 * Dictionary-encoded inputs come out in plain form.
 * @example
 * const pairs = probe(buildJoinTable(right, ['id']), left, ['id'], 'left');
 * const out = joinBatches(left, right, pairs, { on: ['id'], how: 'left' }); // id, left cols, right cols
 */
export function joinBatches(probeBatch: Batch, buildBatch: Batch, pairs: JoinPairs, opts: AssembleOptions): Batch {
  const n = pairs.length, keys = new Set(opts.on), suffix = opts.suffix ?? '_right';
  const pi = pairs.probe.subarray(0, n), bi = pairs.build.subarray(0, n);
  const columns: Record<string, Column> = {};
  for (const [name, c] of Object.entries(probeBatch.columns)) {
    const b = buildBatch.columns[name];
    columns[name] = keys.has(name) && opts.how === 'outer' && b ? coalesce(c, pi, b, bi) : takeOrNull(c, pi);
  }
  for (const [name, c] of Object.entries(buildBatch.columns)) {
    if (keys.has(name)) continue;
    let out = name;
    while (out in columns) out += suffix;
    columns[out] = takeOrNull(c, bi);
  }
  return { length: n, columns };
}

/**
 * The output column names {@link joinBatches} produces for these input column lists.
 * @example joinedNames(['id', 'v'], ['id', 'v'], ['id']) // ['id', 'v', 'v_right']
 */
export function joinedNames(left: readonly string[], right: readonly string[], on: readonly string[], suffix = '_right'): string[] {
  const out = [...left], taken = new Set(left), keys = new Set(on);
  for (const name of right) {
    if (keys.has(name)) continue;
    let o = name;
    while (taken.has(o)) o += suffix;
    taken.add(o);
    out.push(o);
  }
  return out;
}

/**
 * Rows `idx` of `c` in plain form, null where the index is -1.
 * @example takeOrNull(col, Int32Array.of(2, -1, 0)) // [c[2], null, c[0]]
 */
export function takeOrNull(c: Column, idx: Int32Array): Column {
  const n = idx.length;
  let missing = 0;
  for (let i = 0; i < n; i++) if (idx[i] < 0) missing++;
  // taken first, then decoded: plain() of the whole dictionary column would cost more
  if (missing === 0) return plain(takeColumn(c, idx));
  if (missing === n || c.length === 0) return nullColumn(c.type, n);
  const safe = idx.map((j) => (j < 0 ? 0 : j));
  const t = plain(takeColumn(c, safe));
  const valid = t.valid ?? new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) if (idx[i] < 0) valid[i] = 0;
  if (t.type !== 'utf8') {
    for (let i = 0; i < n; i++) if (idx[i] < 0) t.values[i] = 0;
    return { ...t, valid, nullCount: t.nullCount + countMissingValid(t.valid, idx) };
  }
  // null rows hold no bytes: rebuild the offsets without the placeholder's
  const off = t.offsets!, bytes = t.values as Uint8Array;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) { if (idx[i] >= 0) total += off[i + 1] - off[i]; offsets[i + 1] = total; }
  const values = new Uint8Array(total);
  for (let i = 0; i < n; i++) if (idx[i] >= 0) values.set(bytes.subarray(off[i], off[i + 1]), offsets[i]);
  return { type: 'utf8', length: n, values, offsets, valid, nullCount: t.nullCount + countMissingValid(t.valid, idx) };
}

/** Missing rows that the taken column did not already count as null. */
function countMissingValid(valid: Uint8Array | undefined, idx: Int32Array): number {
  let k = 0;
  for (let i = 0; i < idx.length; i++) if (idx[i] < 0 && (valid === undefined || valid[i] !== 0)) k++;
  return k;
}

/**
 * A column of `n` nulls.
 * @example nullColumn('utf8', 3).nullCount // 3
 */
export function nullColumn(type: DType, n: number): Column {
  const valid = new Uint8Array(n);
  if (type === 'utf8') return { type, length: n, values: new Uint8Array(0), offsets: new Int32Array(n + 1), valid, nullCount: n };
  return { type, length: n, values: allocValues(type, n), valid, nullCount: n };
}

/** The dtype holding the values of two key dtypes compared by value. */
function commonKeyType(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'utf8' || b === 'utf8') return 'utf8';
  return isIntegerType(a) && isIntegerType(b) ? 'int64' : 'float64';
}

/** The left key where the left row exists, else the right key (a full outer join's key column). */
function coalesce(l: Column, li: Int32Array, r: Column, ri: Int32Array): Column {
  const type = commonKeyType(l.type, r.type);
  const a = takeOrNull(l, li), b = takeOrNull(r, ri), n = li.length;
  if (type === 'utf8') {
    const pick = (i: number): Column => (li[i] >= 0 ? a : b);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) { const c = pick(i); offsets[i + 1] = offsets[i] + c.offsets![i + 1] - c.offsets![i]; }
    const values = new Uint8Array(offsets[n]);
    for (let i = 0; i < n; i++) { const c = pick(i); values.set((c.values as Uint8Array).subarray(c.offsets![i], c.offsets![i + 1]), offsets[i]); }
    return withValidity({ type, length: n, values, offsets, nullCount: 0 }, a, b, li);
  }
  const values = allocValues(type, n) as NumericArray;
  for (let i = 0; i < n; i++) values[i] = li[i] >= 0 ? a.values[i] : b.values[i];
  return withValidity({ type, length: n, values, nullCount: 0 }, a, b, li);
}

function withValidity(c: Column, a: Column, b: Column, li: Int32Array): Column {
  if (a.nullCount === 0 && b.nullCount === 0) return c;
  const n = c.length, valid = new Uint8Array(n);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const src = li[i] >= 0 ? a : b;
    const v = src.valid === undefined ? 1 : src.valid[i];
    valid[i] = v; nulls += v ^ 1;
  }
  return nulls > 0 ? { ...c, valid, nullCount: nulls } : c;
}
