import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, Column } from '../../../core/types.js';
import { utf8FromStrings, valueAt } from '../../../ops/column/build.js';
import { sliceBatch } from '../../../ops/column/take.js';
import { HashAggregator, type AggPlan, type AggSpec } from '../../../ops/kernels/aggregate/index.js';
import { dictEncode, rowArb, SCHEMA, splitAt, toBatch, toRows } from './gen.js';
import { referenceAggregate, type Row, type Value } from './reference.js';

const AGGS: AggSpec[] = [
  { fn: 'countAll', output: 'n' },
  ...(['sum', 'mean', 'min', 'max', 'count', 'nUnique', 'std', 'var', 'first', 'last'] as const).map((fn) => ({ fn, input: 'f', output: `${fn}_f` })),
  { fn: 'var', input: 'f', output: 'var0_f', ddof: 0 },
  { fn: 'std', input: 'i', output: 'std2_i', ddof: 2 },
  ...(['sum', 'mean', 'min', 'max', 'nUnique', 'first', 'last'] as const).map((fn) => ({ fn, input: 'i', output: `${fn}_i` })),
  ...(['min', 'max', 'first', 'last', 'count', 'nUnique'] as const).map((fn) => ({ fn, input: 's', output: `${fn}_s` })),
  ...(['sum', 'min', 'max', 'first', 'nUnique'] as const).map((fn) => ({ fn, input: 'b', output: `${fn}_b` })),
  ...(['min', 'max', 'last', 'nUnique'] as const).map((fn) => ({ fn, input: 'd', output: `${fn}_d` })),
  ...(['sum', 'min', 'first'] as const).map((fn) => ({ fn, input: 't', output: `${fn}_t` })),
];

const KEYSETS: string[][] = [[], ['k1'], ['k2'], ['k1', 'k2'], ['b'], ['f'], ['d', 'k2', 'k1'], ['s']];

const plan = (keys: string[], inputTypes = SCHEMA): AggPlan => ({ keys, keyTypes: keys.map((k) => SCHEMA[k]), aggs: AGGS, inputTypes });

const close = (a: Value, b: Value): boolean =>
  typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Exact equality, except var/std within 1e-9 relative (one deep comparison: per-field expects are slow). */
function expectSame(actual: Row[], expected: Row[]): void {
  const snapped = actual.map((row, g) => {
    const out: Row = { ...row };
    for (const k of Object.keys(out)) {
      if ((k.startsWith('std') || k.startsWith('var')) && expected[g] && close(out[k], expected[g][k])) out[k] = expected[g][k];
    }
    return out;
  });
  expect(snapped).toEqual(expected);
}

/** Sinks pieces into separate aggregators, ships their partials through a structured clone, combines in order. */
function viaPartials(batch: Batch, keys: string[], pieces: [number, number][], batchCuts: number[]): Row[] {
  // the coordinator does not know the input dtypes of computed inputs: give it wrong ones
  const coordinator = new HashAggregator(plan(keys, Object.fromEntries(Object.keys(SCHEMA).map((k) => [k, 'float64' as const]))));
  for (const [s, e] of pieces) {
    const local = new HashAggregator(plan(keys));
    const piece = sliceBatch(batch, s, e);
    for (const [a, b] of splitAt(piece.length, batchCuts)) local.sink(sliceBatch(piece, a, b));
    coordinator.combine(structuredClone(local.toPartial()));
  }
  return toRows(coordinator.finalize());
}

describe('HashAggregator (property)', () => {
  for (const keys of KEYSETS) {
    it(`single aggregator and combined partials match the reference, keys [${keys.join(', ')}]`, () => {
      fc.assert(fc.property(
        fc.array(rowArb, { maxLength: 150, size: 'max' }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        (rows, cuts, batchCuts) => {
          const batch = toBatch(rows);
          const expected = referenceAggregate(toRows(batch), keys, AGGS);
          const single = new HashAggregator(plan(keys));
          single.sink(batch);
          expect(single.groups).toBe(expected.length);
          expectSame(toRows(single.finalize()), expected);
          expectSame(viaPartials(batch, keys, splitAt(rows.length, cuts), batchCuts), expected);
        },
      ), { numRuns: 30 });
    });
  }

  it('dictionary-encoded utf8 keys group exactly like their plain form', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 150, size: 'max' }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }), (rows, cuts) => {
      const batch = toBatch(rows);
      for (const keys of [['k2'], ['s', 'k1'], ['k2', 's']]) {
        const plainAgg = new HashAggregator(plan(keys));
        plainAgg.sink(batch);
        const dictAgg = new HashAggregator(plan(keys));
        for (const [s, e] of splitAt(rows.length, cuts)) {
          const piece = sliceBatch(batch, s, e);
          dictAgg.sink({ length: piece.length, columns: { ...piece.columns, k2: dictEncode(piece.columns.k2), s: dictEncode(piece.columns.s) } });
        }
        expectSame(toRows(dictAgg.finalize()), toRows(plainAgg.finalize()));
      }
    }), { numRuns: 30 });
  });

  it('partials of one batch grouped by dictionary codes (a dictionary may repeat a value) combine like the reference', () => {
    const orderFree = AGGS.filter((a) => a.fn !== 'first' && a.fn !== 'last');
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 150, size: 'max' }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), (rows, cuts) => {
      const batch = toBatch(rows);
      for (const aggs of [orderFree, AGGS]) {
        for (const keys of [['k2'], ['s', 'k2']]) {
          const p = { ...plan(keys), aggs };
          const coordinator = new HashAggregator(p);
          for (const [a, b] of splitAt(rows.length, cuts)) {
            const piece = sliceBatch(batch, a, b);
            const encoded = { length: piece.length, columns: { ...piece.columns, k2: dictEncodeTwice(piece.columns.k2), s: dictEncode(piece.columns.s) } };
            coordinator.combine(structuredClone(HashAggregator.partialOf(p, encoded)));
          }
          expectSame(toRows(coordinator.finalize()), referenceAggregate(toRows(batch), keys, aggs));
        }
      }
    }), { numRuns: 30 });
  });
});

describe('dictionary-encoded numeric inputs (property)', () => {
  const numAggs: AggSpec[] = (['sum', 'mean', 'min', 'max', 'count'] as const).flatMap((fn) => ['f', 'i', 't'].map((input) => ({ fn, input, output: `${fn}_${input}` })));
  it('sum, mean, min, max and count read dictionary-encoded numbers by code exactly like their plain form, nulls and partials included', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 150, size: 'max' }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), fc.boolean(), (rows, cuts, withNulls) => {
      const batch = toBatch(withNulls ? rows : rows.map((r) => ({ ...r, f: r.f ?? 0, i: r.i ?? 1, t: r.t ?? 2 })));
      for (const keys of [[], ['k1'], ['k2']]) {
        const p = { ...plan(keys), aggs: numAggs };
        const coordinator = new HashAggregator(p), single = new HashAggregator(p);
        for (const [a, b] of splitAt(batch.length, cuts)) {
          const piece = sliceBatch(batch, a, b);
          const encoded = { length: piece.length, columns: { ...piece.columns, f: numDictEncode(piece.columns.f), i: numDictEncode(piece.columns.i), t: numDictEncode(piece.columns.t) } };
          single.sink(encoded);
          coordinator.combine(structuredClone(HashAggregator.partialOf(p, encoded)));
        }
        const expected = referenceAggregate(toRows(batch), keys, numAggs);
        expectSame(toRows(single.finalize()), expected);
        expectSame(toRows(coordinator.finalize()), expected);
      }
    }), { numRuns: 60 });
  });
});

/** A numeric column as codes into a dictionary of its distinct values (in reverse order, between two unused extreme entries). */
function numDictEncode(c: Column): Column {
  const v = c.values as ArrayLike<number>;
  const distinct = [-12345, ...[...new Set(Array.from({ length: c.length }, (_, i) => v[i]))].reverse(), 12345];
  const at = new Map(distinct.map((x, k) => [x, k]));
  const values = c.values.constructor as new (xs: number[]) => typeof c.values;
  return { ...c, values: Int32Array.from({ length: c.length }, (_, i) => at.get(v[i])!), dictionary: { type: c.type, length: distinct.length, values: new values(distinct), nullCount: 0 } };
}

/** A dictionary encoding that holds every value twice, rows alternating between the copies. */
function dictEncodeTwice(c: Column): Column {
  const once = dictEncode(c), codes = once.values as Int32Array, d = once.dictionary!;
  const strings: string[] = [];
  for (let k = 0; k < d.length; k++) strings.push(valueAt(d, k) as string);
  const twice = [...strings, ...strings];
  return { ...once, values: Int32Array.from(codes, (k, i) => k + (i % 2) * strings.length), dictionary: utf8FromStrings(twice) };
}
