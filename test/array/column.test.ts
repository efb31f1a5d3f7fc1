/** fromColumn: arrays over frame columns (CSV, Parquet, memory), nulls as NaN, deferred lengths, typed errors. */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { duck } from '../util/duck.js';
import { expectClose, scanRef } from './ref.js';

const A = ts.array;
const dir = join(import.meta.dirname, '../../.test-data/array-column');
const csv = join(dir, 't.csv');
const parquet = join(dir, 't.parquet');
const N = 3001;
// x: floats with a null every 7th row; k: integers; s: text; flag: bool
const xOf = (i: number): number => (i % 7 === 3 ? NaN : i * 0.25 - 100);

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const lines = ['x,k,s,flag'];
  for (let i = 0; i < N; i++) lines.push(`${Number.isNaN(xOf(i)) ? '' : xOf(i)},${i},w${i},${i % 2 === 0}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  // DuckDB writes the Parquet file (several row groups), so the reader meets a foreign writer
  await duck(`COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)`);
});

afterAll(async () => {
  await A.shutdownArrayWorkers();
  await ts.shutdown();
});

const want = Float64Array.from({ length: N }, (_, i) => xOf(i));

describe('array.fromColumn', () => {
  it('reads a Parquet column with its length known up front, nulls as NaN', async () => {
    const a = A.fromColumn(ts.readParquet(parquet), 'x', { chunks: 700 });
    expect(a.shape).toEqual([N]);
    expect(a.chunks).toEqual([[700, 700, 700, 700, 201]]);
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const got = await a.compute(opts);
      expectClose(got.data, want, 0);
    }
    const k = A.fromColumn(ts.readParquet(parquet), 'k', { chunks: 512 });
    const cs = await k.cumsum({ method: 'sequential' }).compute();
    expectClose(cs.data, scanRef(Float64Array.from({ length: N }, (_, i) => i), [N], 'sum', 0), 0);
  });

  it('reads a CSV column lazily: length unknown (NaN) until computed, then replayed through every op', async () => {
    const df = ts.readCsv(csv);
    const x = A.fromColumn(df, 'x', { chunks: 400 });
    const k = A.fromColumn(df, 'k', { chunks: 1000 });
    expect(x.shape).toEqual([NaN]);
    expect(x.chunks).toEqual([[NaN]]);
    const y = x.mul(2).add(k).reshape([-1, 1]).T;
    expect(y.shape).toEqual([1, NaN]);
    const got = await y.compute({ scheduler: 'threads', workers: 2 });
    expect(got.shape).toEqual([1, N]);
    expectClose(got.data, want.map((v, i) => v * 2 + i), 0);
    // a shared column is read once per computation, and reductions see the real length
    const [total, mean] = await A.compute(k.sum(), A.abs(k.sub(k.mean())).max());
    expect(total.data[0]).toBe((N * (N - 1)) / 2);
    expect(mean.data[0]).toBe((N - 1) / 2);
  });

  it('gives a deferred length through a filter, and a known one through select and head', async () => {
    const df = ts.readParquet(parquet);
    const f = A.fromColumn(df.filter(ts.col('k').ge(2000)), 'k');
    expect(f.shape).toEqual([NaN]);
    const got = await f.compute();
    expect(got.shape).toEqual([N - 2000]);
    expect(got.data[0]).toBe(2000);
    const h = A.fromColumn(df.select(ts.col('k').mul(2).alias('k2')).head(10), 'k2', { chunks: 3 });
    expect(h.shape).toEqual([10]);
    expect([...(await h.compute()).data]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('reads columns of frames in memory, of any numeric type', async () => {
    const df = ts.fromColumns({ i: new Int32Array([5, -3, 8]), u: new Uint8Array([1, 2, 255]), f: new Float32Array([0.5, 1.5, -2]) });
    for (const [name, vals] of [['i', [5, -3, 8]], ['u', [1, 2, 255]], ['f', [0.5, 1.5, -2]]] as const) {
      const a = A.fromColumn(df, name, { chunks: 2 });
      expect(a.shape).toEqual([3]);
      expect([...(await a.compute()).data]).toEqual(vals);
    }
  });

  it('goes through a temporary file when the column is larger than its memory share, and removes it', async () => {
    const spill = join(dir, 'spill');
    mkdirSync(spill, { recursive: true });
    const big = join(dir, 'big.csv'), bigPq = join(dir, 'big.parquet'), n = 50_000;
    writeFileSync(big, ['x', ...Array.from({ length: n }, (_, i) => (Number.isNaN(xOf(i)) ? '' : String(xOf(i))))].join('\n') + '\n');
    await duck(`COPY (SELECT * FROM read_csv('${big}')) TO '${bigPq}' (FORMAT PARQUET, ROW_GROUP_SIZE 7000)`);
    const bigWant = Float64Array.from({ length: n }, (_, i) => xOf(i));
    // 4 MiB of memory keeps 32768 values in memory: both 50000-value columns go to files
    const opts = { scheduler: 'threads' as const, workers: 2, memoryLimit: '4MiB', spillDir: spill };
    const x = A.fromColumn(ts.readCsv(big), 'x', { chunks: 4096 });
    const p = A.fromColumn(ts.readParquet(bigPq), 'x', { chunks: 5000 });
    const [a, b] = await A.compute(x, p.cumsum({ axis: 0 }), opts);
    expectClose(a.data, bigWant, 0);
    expectClose(b.data, scanRef(bigWant, [n], 'sum', 0), 0);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('raises SchemaError for unknown and non-numeric columns, PlanError for bad arguments', () => {
    const df = ts.readCsv(csv);
    expect(() => A.fromColumn(df, 'nope')).toThrowError(ts.SchemaError);
    expect(() => A.fromColumn(df, 'nope')).toThrowError(/unknown column "nope"; valid columns: "x", "k", "s", "flag"/);
    expect(() => A.fromColumn(df, 'X')).toThrowError(/did you mean "x"/);
    expect(() => A.fromColumn(df, 's')).toThrowError(ts.SchemaError);
    expect(() => A.fromColumn(df, 's')).toThrowError(/column "s" has dtype utf8/);
    expect(() => A.fromColumn(ts.readParquet(parquet), 'flag')).toThrowError(/column "flag" has dtype bool/);
    const dates = ts.fromColumns({ d: [1, 2] }).select(ts.col('d').cast('date').alias('day'));
    expect(() => A.fromColumn(dates, 'day')).toThrowError(/column "day" has dtype date/);
    expect(() => A.fromColumn(df, 'x', { chunks: 0 })).toThrowError(ts.PlanError);
    expect(() => A.fromColumn({} as never, 'x')).toThrowError(/expected a LazyFrame/);
  });

  it('reports a shape mismatch of deferred arrays when the lengths become known', async () => {
    const x = A.fromColumn(ts.readCsv(csv).head(5), 'k');
    const y = A.fromColumn(ts.readCsv(csv).head(6), 'k');
    const bad = x.add(y);
    expect(bad.shape).toEqual([NaN]);
    await expect(bad.compute()).rejects.toThrowError(/shapes \[5\] and \[6\] do not broadcast/);
  });
});
