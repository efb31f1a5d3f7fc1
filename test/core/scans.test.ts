/** Scans (cumSum ...) equal a sequential reference whatever the chunking and scheduler, and DuckDB's window sums. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { duck } from '../util/duck.js';
import { expectRowsClose, rowsOf } from '../util/rows.js';

const dir = join(import.meta.dirname, '../../.test-data/scans');
mkdirSync(dir, { recursive: true });
const { col } = ts;

type Row = { k: string | null; x: number | null };

/** Sequential reference: nulls skipped (output null), count never null. */
function reference(rows: Row[], fn: 'sum' | 'prod' | 'min' | 'max' | 'count', byKey: boolean): (number | null)[] {
  const acc = new Map<string, number>();
  const init = { sum: 0, prod: 1, min: Infinity, max: -Infinity, count: 0 }[fn];
  return rows.map((r) => {
    const key = byKey ? String(r.k) : '';
    const a = acc.get(key) ?? init;
    if (r.x === null) return fn === 'count' ? a : null;
    const next = fn === 'sum' ? a + r.x : fn === 'prod' ? a * r.x : fn === 'min' ? Math.min(a, r.x) : fn === 'max' ? Math.max(a, r.x) : a + 1;
    acc.set(key, next);
    return next + 0; // int64 results have no -0
  });
}

const rowsArb = fc.array(fc.record({ k: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }), x: fc.option(fc.integer({ min: -9, max: 9 }), { nil: null }) }), { minLength: 0, maxLength: 80 });

function frame(rows: Row[], chunk: number): ts.LazyFrame {
  return ts.fromColumns({ k: rows.map((r) => r.k), x: rows.map((r) => r.x) }, { chunkRows: chunk });
}

const scans = (g: boolean) => ({
  s: g ? col('x').cumSum().over('k') : col('x').cumSum(),
  p: g ? col('x').cumProd().over('k') : col('x').cumProd(),
  mn: g ? col('x').cumMin().over('k') : col('x').cumMin(),
  mx: g ? col('x').cumMax().over('k') : col('x').cumMax(),
  c: g ? col('x').cumCount().over('k') : col('x').cumCount(),
});

describe('scans', () => {
  it('equal a sequential reference for any chunking, with nulls and group keys (property)', async () => {
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 17 }), fc.boolean(), async (rows, chunk, grouped) => {
      const t = rowsOf(await frame(rows, chunk).withColumns(scans(grouped)).collect({ scheduler: 'sync' }));
      const want = { s: reference(rows, 'sum', grouped), p: reference(rows, 'prod', grouped), mn: reference(rows, 'min', grouped), mx: reference(rows, 'max', grouped), c: reference(rows, 'count', grouped) };
      for (const k of Object.keys(want) as (keyof typeof want)[]) expect(t.map((r) => r[k])).toEqual(want[k]);
    }), { numRuns: 60 });
  });

  it('threads equal sync on a multi-partition file; scans compose with filters before them', async () => {
    const n = 20_000;
    const k = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `k${(i * 7) % 13}`));
    const x = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : ((i * 37) % 101) - 50));
    const file = join(dir, 'scan.arrow');
    await ts.fromColumns({ i: Array.from({ length: n }, (_, i) => i), k, x }, { chunkRows: 1500 }).writeArrow(file);
    const q = () => ts.readArrow(file).filter(col('i').mod(3).ne(0)).withColumns({ ...scans(false), g: col('x').cumSum().over('k'), m: ts.scan(col('x'), { identity: -1e9, op: (a, b) => Math.max(a, b) }) });
    const a = rowsOf(await q().collect({ scheduler: 'sync' }));
    const b = rowsOf(await q().collect({ scheduler: 'threads', workers: 2 }));
    expect(b).toEqual(a);
    expect(rowsOf(await q().collect({ scheduler: 'threads', workers: 2, memoryLimit: '4MiB' }))).toEqual(a);
    await ts.readArrow(file).writeCsv(join(dir, 'scan.csv'));
    const want = await duck(`SELECT i, k, x, CASE WHEN x IS NULL THEN NULL ELSE sum(x) OVER (ORDER BY i) END s,
      CASE WHEN x IS NULL THEN NULL ELSE sum(x) OVER (PARTITION BY k ORDER BY i) END g,
      count(x) OVER (ORDER BY i) c FROM read_csv('${join(dir, 'scan.csv')}') WHERE i % 3 <> 0 ORDER BY i`);
    expect(a.map((r) => ({ i: r.i, k: r.k, x: r.x, s: r.s, g: r.g, c: r.c }))).toEqual(want);
  });

  it('float cumsum stays within 1e-9 of a Kahan-summed reference; stream and writeParquet carry scans', async () => {
    const n = 300_000;
    const x = new Float64Array(n);
    let seed = 42;
    for (let i = 0; i < n; i++) { seed = (seed * 1103515245 + 12345) % 2 ** 31; x[i] = seed / 2 ** 31; }
    const file = join(dir, 'floats.parquet');
    await ts.fromColumns({ x }, { chunkRows: 25_000 }).writeParquet(file);
    let sum = 0, comp = 0;
    const kahan = new Float64Array(n);
    for (let i = 0; i < n; i++) { const y = x[i] - comp, t = sum + y; comp = (t - sum) - y; sum = t; kahan[i] = sum; }
    let i = 0, worst = 0;
    for await (const rb of ts.readParquet(file).select(col('x').cumSum().alias('cs')).stream({ scheduler: 'threads', workers: 2 })) {
      const v = rb.getChild('cs')!.toArray() as Float64Array;
      for (let j = 0; j < v.length; j++, i++) worst = Math.max(worst, Math.abs(v[j] - kahan[i]) / kahan[i]);
    }
    expect(i).toBe(n);
    expect(worst).toBeLessThan(1e-9);
    const out = join(dir, 'cs.parquet');
    await ts.readParquet(file).select(col('x').cumSum().alias('cs')).writeParquet(out);
    const [last] = await duck(`SELECT last(cs ORDER BY rowid) l, count(*) n FROM (SELECT cs, row_number() OVER () rowid FROM read_parquet('${out}'))`);
    expect(last.n).toBe(n);
    expect(Math.abs((last.l as number) - kahan[n - 1]) / kahan[n - 1]).toBeLessThan(1e-9);
  });

  it('a scan feeding an aggregation (sum of the cumsum) matches DuckDB', async () => {
    const t = await ts.fromColumns({ x: Array.from({ length: 1000 }, (_, i) => i % 17) }, { chunkRows: 100 })
      .select(col('x').cumSum().alias('cs')).select(col('cs').sum().alias('total'), col('cs').max().alias('lst')).collect();
    const [want] = await duck('SELECT sum(cs) total, max(cs) lst FROM (SELECT sum(i % 17) OVER (ORDER BY i) cs FROM range(1000) t(i))');
    expectRowsClose(rowsOf(t), [want]);
  });

  it('aggregates over cumSum/cumCount are computed in the workers and shifted by carries: equal the sequential reference (property)', async () => {
    const stats = (v: (number | null)[]) => {
      const xs = v.filter((x): x is number => x !== null);
      const n = xs.length, mean = n ? xs.reduce((a, b) => a + b, 0) / n : null;
      const m2 = n ? xs.reduce((a, b) => a + (b - mean!) ** 2, 0) : 0;
      return {
        sum: n ? xs.reduce((a, b) => a + b, 0) : null, mean, min: n ? Math.min(...xs) : null, max: n ? Math.max(...xs) : null,
        first: n ? xs[0] : null, last: n ? xs[n - 1] : null, count: n, std: n > 1 ? Math.sqrt(m2 / (n - 1)) : null, var0: n ? m2 / n : null,
      };
    };
    const aggs = (c: string) => [col(c).sum().alias(`${c}_sum`), col(c).mean().alias(`${c}_mean`), col(c).min().alias(`${c}_min`), col(c).max().alias(`${c}_max`),
      col(c).first().alias(`${c}_first`), col(c).last().alias(`${c}_last`), col(c).count().alias(`${c}_count`), col(c).std().alias(`${c}_std`), col(c).var(0).alias(`${c}_var0`)];
    await fc.assert(fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 17 }), async (rows, chunk) => {
      const q = frame(rows, chunk).select(col('x').cumSum().alias('cs'), col('x').cumCount().alias('cc'), col('x'))
        .select(...aggs('cs'), ...aggs('cc'), col('x').sum().alias('x_sum'), ts.count().alias('n'));
      expect(q.explain()).toContain('shifts each partial by its carry-in');
      const [got] = rowsOf(await q.collect({ scheduler: 'sync' }));
      const want: Record<string, number | null> = {};
      for (const [c, fn] of [['cs', 'sum'], ['cc', 'count']] as const) for (const [k, v] of Object.entries(stats(reference(rows, fn, false)))) want[`${c}_${k}`] = v;
      want.x_sum = rows.some((r) => r.x !== null) ? rows.reduce((a, r) => a + (r.x ?? 0), 0) : null;
      want.n = rows.length;
      expectRowsClose([got], [want]);
    }), { numRuns: 60 });
  });

  it('shifted aggregates over an Arrow file agree across sync, threads and the stitched path', async () => {
    const n = 50_000;
    const file = join(dir, 'shift.arrow');
    await ts.fromColumns({ x: Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : ((i * 31) % 97) / 4 - 12)) }, { chunkRows: 3000 }).writeArrow(file);
    const shifted = () => ts.readArrow(file).select(col('x').cumSum().alias('cs')).select(col('cs').sum().alias('s'), col('cs').last().alias('l'), col('cs').min().alias('m'), col('cs').std().alias('d'));
    // a filter between the scan and the aggregate keeps the rows on the stitched path
    const stitched = () => ts.readArrow(file).select(col('x').cumSum().alias('cs')).filter(col('cs').isNotNull().or(col('cs').isNull())).select(col('cs').sum().alias('s'), col('cs').last().alias('l'), col('cs').min().alias('m'), col('cs').std().alias('d'));
    expect(stitched().explain()).not.toContain('shifts each partial');
    const want = rowsOf(await stitched().collect({ scheduler: 'sync' }));
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) expectRowsClose(rowsOf(await shifted().collect(opts)), want);
  });

  it('rejects bad scans with typed errors', async () => {
    const k = 2;
    expect(() => ts.scan(col('x'), { identity: 0, op: (a, b) => a + b * k })).toThrow(/uses "k" from outside its body/);
    expect(() => ts.scan(col('x'), { identity: 0, op: 'a+b' as never })).toThrow(ts.PlanError);
    expect(() => col('x').sum().over('k')).toThrow(/over\(\) applies to a scan/);
    const e = await ts.fromColumns({ s: ['a'] }).select(col('s').cumSum()).collect().catch((x) => x);
    expect(e).toBeInstanceOf(ts.SchemaError);
  });
});
