/**
 * Aggregations larger than the memory limit spill and still equal DuckDB, for every
 * aggregate; spill directories end empty.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { duck } from '../util/duck.js';
import { expectRowsClose, rowsOf, sortRows } from '../util/rows.js';

let dir: string;
let file: string;
let csv: string;
let spill: string;
const N = 240_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-spill-'));
  spill = join(dir, 'spill');
  mkdirSync(spill);
  const rng = new Xoshiro128(11);
  const k: string[] = [], x: (number | null)[] = [], rn: number[] = [];
  for (let i = 0; i < N; i++) {
    k.push(`key${(rng.nextU32() % 120_000).toString().padStart(7, '0')}`);
    x.push(rng.nextU32() % 13 === 0 ? null : (rng.nextU32() % 100_000) / 100);
    rn.push(i);
  }
  file = join(dir, 'many-groups.parquet');
  await ts.fromColumns({ k, x, rn }).writeParquet(file);
  csv = join(dir, 'many-groups.csv');
  await ts.readParquet(file).writeCsv(csv);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spilling aggregation', () => {
  it('120k groups under a 4 MiB memory limit: every aggregate equals DuckDB, spill files removed', async () => {
    const { col } = ts;
    const q = ts.readParquet(file).groupBy('k').agg({
      n: ts.count(), c: col('x').count(), s: col('x').sum(), m: col('x').mean(), lo: col('x').min(), hi: col('x').max(),
      u: col('x').nUnique(), sd: col('x').std(), v: col('x').var(), f: col('x').first(), l: col('x').last(),
    });
    const res = await ts.compute(q, { scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill, metrics: true });
    const op = res.metrics!.operators.find((o) => o.operator === 'aggregate by k')!;
    expect(op.spilledBytes).toBeGreaterThan(0);
    expect(res.metrics!.peakMemoryBytes).toBeGreaterThan(0);
    expect(res.metrics!.peakMemoryBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(op.partitions).toBeGreaterThan(1);
    expect(readdirSync(spill)).toEqual([]);
    const want = await duck(`SELECT k, count(*) n, count(x) c, sum(x) s, avg(x) m, min(x) lo, max(x) hi, count(DISTINCT x) u, stddev_samp(x) sd, var_samp(x) v,
      arg_min(x, rn) FILTER (WHERE x IS NOT NULL) f, arg_max(x, rn) FILTER (WHERE x IS NOT NULL) l FROM read_parquet('${file}') GROUP BY k`);
    const got = sortRows(rowsOf(res[0]), ['k']);
    expect(got.length).toBe(want.length);
    expectRowsClose(got, sortRows(want, ['k']));
    const inMemory = sortRows(rowsOf(await q.collect({ scheduler: 'sync' })), ['k']);
    expectRowsClose(got, inMemory);
  });

  it('an AbortSignal cancels a spilling run: the call rejects with the reason and the spill directory ends empty', async () => {
    const controller = new AbortController();
    let spillingWhenAborted = false;
    const off = ts.events.subscribe((e) => {
      if (e.type !== 'partition-finished' || e.seq < 24 || controller.signal.aborted) return;
      spillingWhenAborted = readdirSync(spill).length > 0;
      controller.abort(new Error('stop here'));
    });
    try {
      const q = ts.readCsv(csv, { blocksize: '128KiB' }).groupBy('k').agg({ s: ts.col('x').sum(), u: ts.col('x').nUnique() });
      await expect(q.collect({ scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill, signal: controller.signal })).rejects.toThrow('stop here');
    } finally {
      off();
    }
    expect(spillingWhenAborted).toBe(true);
    expect(readdirSync(spill)).toEqual([]);
    // the pool is still usable
    expect((await ts.readCsv(csv).select(ts.count()).collect({ scheduler: 'threads', workers: 2 })).numRows).toBe(1);
  });

  it('a sort larger than the memory limit spills sorted runs and merges them: equals DuckDB, stable, streams into writeParquet', async () => {
    const q = ts.readCsv(csv, { blocksize: '256KiB' }).sort(['x', 'k'], { descending: [true, false] });
    const res = await ts.compute(q, { scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill, metrics: true });
    const op = res.metrics!.operators.find((o) => o.operator === 'sort by x, k')!;
    expect(op.spilledBytes).toBeGreaterThan(0);
    expect(op.runs).toBeGreaterThan(1);
    const want = await duck(`SELECT k, x, rn FROM read_parquet('${file}') ORDER BY x DESC NULLS LAST, k, rn`);
    expect(rowsOf(res[0])).toEqual(want);
    const out = join(dir, 'sorted.parquet');
    await q.writeParquet(out, { scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill });
    expect(await duck(`SELECT k, x, rn FROM read_parquet('${out}')`)).toEqual(want);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('bad memory settings and an unusable spill directory are typed errors, with nothing left behind', async () => {
    expect(() => ts.config({ memoryLimit: '1MiB' })).toThrow(ts.ResourceError);
    expect(() => ts.config({ memoryLimit: 'a lot' })).toThrow(ts.PlanError);
    const q = ts.readParquet(file).groupBy('k').agg({ s: ts.col('x').sum() });
    await expect(q.collect({ memoryLimit: '2MiB' })).rejects.toThrow(/at least '4MiB'/);
    const missing = join(dir, 'no-such-dir');
    await expect(q.collect({ scheduler: 'sync', memoryLimit: '4MiB', spillDir: missing })).rejects.toThrow(ts.IOError);
    expect(readdirSync(dir).filter((f) => f.startsWith('tessera-spill'))).toEqual([]);
  });
});
