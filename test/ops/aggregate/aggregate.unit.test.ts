import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../../core/errors.js';
import { batchTransferList, type Batch, type DType } from '../../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';
import { sliceBatch } from '../../../ops/column/take.js';
import { aggOutputType, HashAggregator, type AggSpec } from '../../../ops/kernels/aggregate/index.js';
import { toRows } from './gen.js';
import { referenceAggregate, type Row } from './reference.js';

function batchOf(cols: Record<string, [DType, unknown[]]>): Batch {
  const columns: Batch['columns'] = {};
  let n = 0;
  for (const [k, [t, v]] of Object.entries(cols)) {
    columns[k] = t === 'utf8' ? utf8FromStrings(v as string[]) : numericFromValues(t, v);
    n = v.length;
  }
  return { length: n, columns };
}

const ALL: AggSpec[] = [
  { fn: 'countAll', output: 'n' }, { fn: 'count', input: 'x', output: 'c' }, { fn: 'sum', input: 'x', output: 'sum' },
  { fn: 'mean', input: 'x', output: 'mean' }, { fn: 'min', input: 'x', output: 'min' }, { fn: 'max', input: 'x', output: 'max' },
  { fn: 'nUnique', input: 'x', output: 'nu' }, { fn: 'std', input: 'x', output: 'std' }, { fn: 'var', input: 'x', output: 'var' },
  { fn: 'first', input: 'x', output: 'first' }, { fn: 'last', input: 'x', output: 'last' },
];

describe('HashAggregator', () => {
  it('without keys yields exactly one row even for no input (count 0, the rest null)', () => {
    const agg = new HashAggregator({ keys: [], keyTypes: [], aggs: ALL, inputTypes: { x: 'int32' } });
    agg.sink(batchOf({ x: ['int32', []] }));
    const out = agg.finalize();
    expect(out.length).toBe(1);
    expect(toRows(out)).toEqual([{ n: 0, c: 0, sum: null, mean: null, min: null, max: null, nu: 0, std: null, var: null, first: null, last: null }]);
    expect(out.columns.sum.type).toBe('int64');
    expect(out.columns.min.type).toBe('int32');
  });

  it('with keys and no input yields zero rows of the output dtypes', () => {
    const agg = new HashAggregator({ keys: ['k'], keyTypes: ['utf8'], aggs: ALL, inputTypes: { x: 'float32' } });
    const out = agg.finalize();
    expect(out.length).toBe(0);
    expect(Object.fromEntries(Object.entries(out.columns).map(([k, c]) => [k, c.type]))).toEqual({
      k: 'utf8', n: 'int64', c: 'int64', sum: 'float64', mean: 'float64', min: 'float32', max: 'float32',
      nu: 'int64', std: 'float64', var: 'float64', first: 'float32', last: 'float32',
    });
  });

  it('groups -0 with 0 and NaN with NaN; NaN is the largest value', () => {
    const b = batchOf({ k: ['float64', [0, -0, NaN, NaN, 1, null]], x: ['float64', [NaN, 2, 1, NaN, 3, 0]] });
    const agg = new HashAggregator({ keys: ['k'], keyTypes: ['float64'], aggs: ALL.filter((a) => ['min', 'max', 'nu'].includes(a.output)), inputTypes: { x: 'float64' } });
    agg.sink(b);
    const rows = toRows(agg.finalize());
    expect(rows.map((r) => r.k)).toEqual([0, NaN, 1, null]);
    expect(rows[0]).toMatchObject({ min: 2, max: NaN, nu: 2 });
    expect(rows[1]).toMatchObject({ min: 1, max: NaN, nu: 2 });
    expect(rows[3]).toMatchObject({ min: 0, max: 0, nu: 1 });
    const onlyNaN = new HashAggregator({ keys: [], keyTypes: [], aggs: ALL.filter((a) => a.fn === 'min' || a.fn === 'nUnique'), inputTypes: { x: 'float64' } });
    onlyNaN.sink(batchOf({ x: ['float64', [NaN, null, NaN]] }));
    expect(toRows(onlyNaN.finalize())).toEqual([{ min: NaN, nu: 1 }]);
  });

  it('first/last are the first/last non-null values in source order across partials', () => {
    const b = batchOf({ k: ['utf8', ['a', 'b', 'a', 'a', 'b', 'a']], x: ['utf8', [null, 'p', 'q', null, 'r', 's']] });
    const plan = { keys: ['k'], keyTypes: ['utf8' as DType], aggs: ALL.filter((a) => a.fn === 'first' || a.fn === 'last'), inputTypes: { x: 'utf8' as DType } };
    const coord = new HashAggregator(plan);
    for (let s = 0; s < 6; s += 2) {
      const local = new HashAggregator(plan);
      local.sink(sliceBatch(b, s, s + 2));
      coord.combine(local.toPartial());
    }
    expect(toRows(coord.finalize())).toEqual([{ k: 'a', first: 'q', last: 's' }, { k: 'b', first: 'p', last: 'r' }]);
  });

  it('var/std stay exact on values with a large common offset (two-pass per batch + Chan merge)', () => {
    const xs = Array.from({ length: 4000 }, (_, i) => 1e9 + [4, 7, 13, 16][i % 4]);
    const plan = { keys: [], keyTypes: [], aggs: ALL.filter((a) => a.fn === 'var' || a.fn === 'mean'), inputTypes: { x: 'float64' as DType } };
    const coord = new HashAggregator(plan);
    for (let s = 0; s < xs.length; s += 1000) {
      const local = new HashAggregator(plan);
      for (let t = s; t < s + 1000; t += 300) local.sink(batchOf({ x: ['float64', xs.slice(t, Math.min(t + 300, s + 1000))] }));
      coord.combine(local.toPartial());
    }
    const [r] = toRows(coord.finalize());
    expect(r.mean).toBe(1e9 + 10);
    expect(Math.abs((r.var as number) - 22.5 * 4000 / 3999)).toBeLessThan(1e-6);
  });

  it('matches the reference with many groups (table growth), long keys and keys differing only in trailing bytes', () => {
    const n = 30000;
    const keys = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `key-with-a-long-common-prefix-${(i * 7919) % 12000}${i % 3 === 0 ? '\u0000' : ''}`));
    const nums = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : (i * 31) % 5003));
    const x = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : (i % 97) - 40));
    const b = batchOf({ s: ['utf8', keys], k: ['int32', nums], x: ['int32', x] });
    const aggs = ALL.filter((a) => a.fn !== 'std' && a.fn !== 'var');
    for (const ks of [['s'], ['k'], ['s', 'k']]) {
      const agg = new HashAggregator({ keys: ks, keyTypes: ks.map((k) => (k === 's' ? 'utf8' : 'int32')), aggs, inputTypes: { x: 'int32' } });
      for (let s = 0; s < n; s += 4096) agg.sink(sliceBatch(b, s, Math.min(n, s + 4096)));
      expect(toRows(agg.finalize())).toEqual(referenceAggregate(toRows(b) as Row[], ks, aggs));
    }
  });

  it('partials are plain typed-array columns that survive a transfer', () => {
    const b = batchOf({ k: ['utf8', ['a', 'b', null]], x: ['utf8', ['x', 'y', 'x']] });
    const agg = new HashAggregator({ keys: ['k'], keyTypes: ['utf8'], aggs: ALL.filter((a) => !['sum', 'mean', 'std', 'var'].includes(a.fn)), inputTypes: { x: 'utf8' } });
    agg.sink(b);
    const p = agg.toPartial();
    for (const c of Object.values(p.columns)) {
      expect(ArrayBuffer.isView(c.values)).toBe(true);
      expect(c.length).toBe(3);
    }
    const moved = structuredClone(p, { transfer: batchTransferList(p) });
    const coord = new HashAggregator(agg.plan);
    coord.combine(moved);
    expect(toRows(coord.finalize())).toEqual(toRows(agg.finalize()));
  });

  it('rejects aggregates that do not apply and names missing columns', () => {
    expect(() => aggOutputType('sum', 'utf8')).toThrow(SchemaError);
    expect(() => aggOutputType('mean', 'date')).toThrow(/numeric or bool/);
    const agg = new HashAggregator({ keys: ['k'], keyTypes: ['int32'], aggs: [{ fn: 'sum', input: 'x', output: 's' }], inputTypes: {} });
    expect(() => agg.sink(batchOf({ k: ['int32', [1]], y: ['int32', [1]] }))).toThrow(/"x" not found; available: k, y/);
    expect(() => agg.sink(batchOf({ k: ['int32', [1]], x: ['utf8', ['a']] }))).toThrow(SchemaError);
  });

  it('aggOutputType follows DuckDB', () => {
    expect(aggOutputType('sum', 'int32')).toBe('int64');
    expect(aggOutputType('sum', 'bool')).toBe('int64');
    expect(aggOutputType('sum', 'float32')).toBe('float64');
    expect(aggOutputType('mean', 'int64')).toBe('float64');
    expect(aggOutputType('countAll')).toBe('int64');
    expect(aggOutputType('max', 'timestamp')).toBe('timestamp');
    expect(aggOutputType('nUnique', 'utf8')).toBe('int64');
  });

  it('partials of many groups travel in hash order and still combine into first-appearance order', () => {
    // ~9k distinct keys per piece: above the size from which partials are hash-ordered
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const n = 60_000, ks: string[] = [], ki: (number | null)[] = [], x: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      const k = next() % 20_000;
      ks.push(`key${k}`);
      ki.push(k % 97 === 0 ? null : k);
      x.push(next() % 11 === 0 ? null : (next() % 1000) / 8);
    }
    for (const [key, type] of [['ks', 'utf8'], ['ki', 'int32']] as const) {
      const plan = { keys: [key], keyTypes: [type], aggs: ALL, inputTypes: { x: 'float64' as const } };
      const batch = batchOf({ ks: ['utf8', ks], ki: ['int32', ki], x: ['float64', x] });
      const coordinator = new HashAggregator(plan);
      let ordered = 0;
      for (const [a, b] of [[0, 25_000], [25_000, 41_000], [41_000, n]]) {
        const local = new HashAggregator(plan);
        local.sink(sliceBatch(batch, a, b));
        const partial = structuredClone(local.toPartial());
        const ranks = partial.columns['#first'].values as Int32Array;
        if (ranks.some((r, i) => r !== i)) ordered++;
        coordinator.combine(partial);
      }
      expect(ordered).toBe(3);
      const expected = referenceAggregate(toRows(batch), [key], ALL);
      const got = toRows(coordinator.finalize());
      expect(got.map((r) => r[key])).toEqual(expected.map((r) => r[key]));
      const single = new HashAggregator(plan);
      single.sink(batch);
      const want = toRows(single.finalize());
      // merged variances differ from one pass in the last bits only
      const exact = (rows: Row[]) => rows.map(({ std: _s, var: _v, ...rest }) => rest);
      expect(exact(got)).toEqual(exact(want));
      got.forEach((r, i) => {
        for (const f of ['std', 'var'] as const) {
          const a = r[f] as number | null, b = want[i][f] as number | null;
          if (a === null || b === null) expect(a).toBe(b);
          else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
        }
      });
    }
  });
});
