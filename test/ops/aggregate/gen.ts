/** Random batches with nulls for property tests, as both a Batch and the rows it holds. */
import fc from 'fast-check';
import type { Batch, Column, DType } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings, valueAt } from '../../../ops/column/build.js';
import type { Row, Value } from './reference.js';

/** Column name -> dtype of the generated table. */
export const SCHEMA: Record<string, DType> = {
  k1: 'int32', k2: 'utf8', f: 'float64', i: 'int32', s: 'utf8', b: 'bool', d: 'date', t: 'int64',
};

const STRINGS = ['a', 'b', 'ab', '', 'é', 'Z', '😀', 'a\u0000', 'id001', 'zz'];

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 5 });

/** One row; floats are multiples of 1/8 so sums are exact in any order. */
export const rowArb: fc.Arbitrary<Row> = fc.record({
  k1: nullable(fc.integer({ min: -2, max: 3 })),
  k2: nullable(fc.constantFrom(...STRINGS.slice(0, 5))),
  f: nullable(fc.integer({ min: -8000, max: 8000 }).map((x) => x / 8)),
  i: nullable(fc.integer({ min: -100, max: 100 })),
  s: nullable(fc.constantFrom(...STRINGS)),
  b: nullable(fc.boolean()),
  d: nullable(fc.integer({ min: -1000, max: 20000 })),
  t: nullable(fc.integer({ min: -1e6, max: 1e6 }).map((x) => x * 1e6)),
});

/** Builds a batch over `rows` with the {@link SCHEMA} dtypes. */
export function toBatch(rows: Row[], schema: Record<string, DType> = SCHEMA): Batch {
  const columns: Record<string, Column> = {};
  for (const [name, type] of Object.entries(schema)) {
    const vals = rows.map((r) => r[name]);
    columns[name] = type === 'utf8' ? utf8FromStrings(vals as (string | null)[]) : numericFromValues(type, vals);
  }
  return { length: rows.length, columns };
}

/** The batch back as rows of JS values (bools as booleans). */
export function toRows(b: Batch): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < b.length; i++) {
    const r: Row = {};
    for (const [k, c] of Object.entries(b.columns)) r[k] = valueAt(c, i) as Value;
    out.push(r);
  }
  return out;
}

/** Cut points splitting `n` rows into consecutive pieces. */
export function splitAt(n: number, cuts: number[]): [number, number][] {
  const pts = [...new Set(cuts.map((c) => Math.floor(c * (n + 1))))].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
  const bounds = [0, ...pts, n];
  return bounds.slice(1).map((e, j) => [bounds[j], e]);
}

/**
 * The dictionary-encoded form of a plain utf8 column (Column.dictionary), with the entries in
 * reverse order of first use plus an unused entry, and null rows carrying a junk code.
 */
export function dictEncode(c: Column): Column {
  const codeOf = new Map<string, number>();
  const strings: (string | null)[] = [];
  for (let i = 0; i < c.length; i++) strings.push(c.valid && c.valid[i] === 0 ? null : (valueAt(c, i) as string));
  const distinct = [...new Set(strings.filter((x): x is string => x !== null))].reverse();
  distinct.push('never used');
  distinct.forEach((x, k) => codeOf.set(x, k));
  const codes = Int32Array.from(strings, (x) => (x === null ? distinct.length - 1 : codeOf.get(x)!));
  return { type: 'utf8', length: c.length, values: codes, valid: c.valid, nullCount: c.nullCount, dictionary: utf8FromStrings(distinct) };
}
