import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, DType } from '../../../core/types.js';
import { concatBatches, sliceBatch, takeBatch } from '../../../ops/column/take.js';
import { mergeSorted, sortIndices, topK } from '../../../ops/kernels/sort/index.js';
import { dictEncode, splitAt, toBatch, toRows } from '../aggregate/gen.js';
import { compareValues, type Row, type Value } from '../aggregate/reference.js';

const SCHEMA: Record<string, DType> = { id: 'int32', f: 'float64', i: 'int32', s: 'utf8', b: 'bool', t: 'int64', u: 'uint32', d: 'date' };

const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 6 });
// small domains so ties, shared prefixes and long equal runs (the radix paths) are common
const strArb = fc.oneof(
  fc.constantFrom('', 'a', 'ab', 'a\u0000', 'b', 'B', 'é', '😀', '\uffff'),
  fc.tuple(fc.constantFrom('id0000', 'prefix-shared-by-many-strings-', 'x'), fc.integer({ min: 0, max: 30 }), fc.constantFrom('', '\u0000', 'z'))
    .map(([p, n, s]) => p + String(n) + s),
);
const rowArb = fc.record({
  f: nullable(fc.oneof(fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 1.5, -1e300, 5e-324), fc.integer({ min: -5, max: 5 }), fc.double())),
  i: nullable(fc.integer({ min: -3, max: 3 })),
  s: nullable(strArb),
  b: nullable(fc.boolean()),
  t: nullable(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer().map((x) => x * 1e5))),
  u: nullable(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(4294967295), fc.constant(2147483648))),
  d: nullable(fc.integer({ min: -2, max: 2 })),
});
const KEYS = ['f', 'i', 's', 'b', 't', 'u', 'd'];
const specArb = fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 })
  .chain((by) => fc.tuple(fc.constant(by), fc.array(fc.boolean(), { minLength: by.length, maxLength: by.length })));

function tableOf(rows: Omit<Row, 'id'>[]): Batch {
  return toBatch(rows.map((r, id) => ({ ...r, id } as Row)), SCHEMA);
}

/** Reference: Array.prototype.sort (stable) with nulls last in both directions. */
function referenceOrder(rows: Row[], by: string[], desc: boolean[]): number[] {
  const cmp = (a: Value, b: Value, d: boolean): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return d ? -compareValues(a, b) : compareValues(a, b);
  };
  return rows.map((_, i) => i).sort((x, y) => {
    for (let j = 0; j < by.length; j++) { const c = cmp(rows[x][by[j]], rows[y][by[j]], desc[j]); if (c !== 0) return c; }
    return 0;
  });
}

describe('sort kernels (property)', () => {
  it('sortIndices is the stable order of the reference comparator', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 300, size: 'max' }), specArb, (rows, [by, desc]) => {
      const b = tableOf(rows);
      expect(Array.from(sortIndices(b, by, desc))).toEqual(referenceOrder(toRows(b), by, desc));
    }), { numRuns: 150 });
  });

  it('topK equals the first k of sortIndices', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 300, size: 'max' }), specArb, fc.integer({ min: 0, max: 320 }), (rows, [by, desc], k) => {
      const b = tableOf(rows);
      expect(Array.from(topK(b, by, desc, k))).toEqual(Array.from(sortIndices(b, by, desc).subarray(0, k)));
    }), { numRuns: 100 });
  });

  it('mergeSorted of sorted pieces equals sorting the concatenation', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 200, size: 'max' }), specArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (rows, [by, desc], cuts) => {
      const b = tableOf(rows);
      const pieces = splitAt(b.length, cuts).map(([s, e]) => { const p = sliceBatch(b, s, e); return takeBatch(p, sortIndices(p, by, desc)); });
      const merged = mergeSorted(pieces.length ? pieces : [b], by, desc);
      const all = concatBatches(pieces.length ? pieces : [b]);
      expect(toRows(merged)).toEqual(toRows(takeBatch(all, sortIndices(all, by, desc))));
      expect(toRows(merged).map((r) => r.id)).toEqual(referenceOrder(toRows(b), by, desc));
    }), { numRuns: 100 });
  });

  it('dictionary-encoded utf8 sorts like its plain form', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 300, size: 'max' }), specArb, fc.integer({ min: 0, max: 50 }), (rows, [by, desc], k) => {
      const b = tableOf(rows);
      const d = { length: b.length, columns: { ...b.columns, s: dictEncode(b.columns.s) } };
      expect(Array.from(sortIndices(d, by, desc))).toEqual(Array.from(sortIndices(b, by, desc)));
      expect(Array.from(topK(d, by, desc, k))).toEqual(Array.from(topK(b, by, desc, k)));
    }), { numRuns: 100 });
  });
});
