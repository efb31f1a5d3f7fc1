import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../../core/errors.js';
import type { Batch, DType } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';
import { takeBatch } from '../../../ops/column/take.js';
import { mergeSorted, sortIndices, topK } from '../../../ops/kernels/sort/index.js';
import { toRows } from '../aggregate/gen.js';
import { compareValues } from '../aggregate/reference.js';

function batchOf(cols: Record<string, [DType, unknown[]]>): Batch {
  const columns: Batch['columns'] = {};
  let n = 0;
  for (const [k, [t, v]] of Object.entries(cols)) {
    columns[k] = t === 'utf8' ? utf8FromStrings(v as string[]) : numericFromValues(t, v);
    n = v.length;
  }
  return { length: n, columns };
}

const sortedValues = (b: Batch, by: string, desc: boolean): unknown[] => toRows(takeBatch(b, sortIndices(b, [by], [desc]))).map((r) => r[by]);

describe('sortIndices', () => {
  it('puts NaN above numbers and nulls last in both directions (DuckDB)', () => {
    const b = batchOf({ x: ['float64', [3, NaN, null, -1, Infinity, -0, -Infinity]] });
    expect(sortedValues(b, 'x', false)).toEqual([-Infinity, -1, -0, 3, Infinity, NaN, null]);
    expect(sortedValues(b, 'x', true)).toEqual([NaN, Infinity, 3, -0, -1, -Infinity, null]);
  });

  it('orders utf8 by code point (bytes), not by UTF-16 units', () => {
    const b = batchOf({ s: ['utf8', ['😀', '\uffff', 'b', 'B', '', null, 'ä', 'a\u0000', 'a']] });
    expect(sortedValues(b, 's', false)).toEqual(['', 'B', 'a', 'a\u0000', 'b', 'ä', '\uffff', '😀', null]);
    expect(sortedValues(b, 's', true)).toEqual(['😀', '\uffff', 'ä', 'b', 'a\u0000', 'a', 'B', '', null]);
  });

  it('is stable and matches a reference on large inputs with many ties and long shared prefixes', () => {
    const n = 20000;
    let seed = 1;
    const r = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
    const s = Array.from({ length: n }, () => (r() < 0.05 ? null : `https://example.com/some/long/path/${Math.floor(r() * 300)}/${r() < 0.5 ? 'x' : ''}`));
    const f = Array.from({ length: n }, () => (r() < 0.05 ? null : r() < 0.1 ? NaN : Math.round((r() - 0.5) * 1e6) / 7));
    const t = Array.from({ length: n }, () => Math.floor((r() - 0.5) * 2 ** 40));
    // mostly distinct: ranks come from sorting the rows rather than the deduplicated strings
    const u = Array.from({ length: n }, () => (r() < 0.02 ? null : `shared/prefix/of/thirty/bytes/${Math.floor(r() * 1e9)}${r() < 0.1 ? '\u0000' : ''}`));
    const b = batchOf({ s: ['utf8', s], f: ['float64', f], t: ['int64', t], u: ['utf8', u] });
    const rows = toRows(b);
    const cmp = (x: unknown, y: unknown, d: boolean) => (x === null || y === null ? (x === y ? 0 : x === null ? 1 : -1) : (d ? -1 : 1) * compareValues(x as number, y as number));
    for (const [by, desc] of [[['s', 'f'], [false, true]], [['f'], [false]], [['t', 's'], [true, false]], [['u'], [false]], [['u'], [true]]] as [string[], boolean[]][]) {
      const expected = rows.map((_, i) => i).sort((x, y) => {
        for (let j = 0; j < by.length; j++) { const c = cmp(rows[x][by[j]], rows[y][by[j]], desc[j]); if (c !== 0) return c; }
        return 0;
      });
      expect(Array.from(sortIndices(b, by, desc))).toEqual(expected);
    }
  });

  it('names a missing sort column', () => {
    const b = batchOf({ x: ['int32', [1, 2]] });
    expect(() => sortIndices(b, ['y'], [false])).toThrow(SchemaError);
    expect(() => sortIndices(b, ['y'], [false])).toThrow(/available: x/);
  });
});

describe('topK and mergeSorted', () => {
  const b = batchOf({ k: ['int32', [5, 1, null, 3, 1, 9, 3]], v: ['int32', [0, 1, 2, 3, 4, 5, 6]] });

  it('topK handles k of 0, beyond n, and ties by input order', () => {
    expect(Array.from(topK(b, ['k'], [false], 0))).toEqual([]);
    expect(Array.from(topK(b, ['k'], [false], 100))).toEqual(Array.from(sortIndices(b, ['k'], [false])));
    expect(Array.from(topK(b, ['k'], [false], 3))).toEqual([1, 4, 3]);
    expect(Array.from(topK(b, ['k'], [true], 2))).toEqual([5, 0]);
  });

  it('topK on a large input matches the sorted prefix', () => {
    const n = 50000;
    const x = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 10);
    const big = batchOf({ x: ['float64', x] });
    expect(Array.from(topK(big, ['x'], [true], 25))).toEqual(Array.from(sortIndices(big, ['x'], [true]).subarray(0, 25)));
  });

  it('mergeSorted skips empty runs and keeps earlier runs first among ties', () => {
    const run = (ks: (number | null)[], tag: number) => batchOf({ k: ['int32', ks], v: ['int32', ks.map(() => tag)] });
    const merged = mergeSorted([run([], 0), run([1, 3, null], 1), run([1, 2, 3], 2), run([0, 3], 3)], ['k'], [false]);
    expect(toRows(merged)).toEqual([
      { k: 0, v: 3 }, { k: 1, v: 1 }, { k: 1, v: 2 }, { k: 2, v: 2 }, { k: 3, v: 1 }, { k: 3, v: 2 }, { k: 3, v: 3 }, { k: null, v: 1 },
    ]);
    const single = run([1, 2], 9);
    expect(mergeSorted([single, run([], 0)], ['k'], [false])).toBe(single);
  });
});
