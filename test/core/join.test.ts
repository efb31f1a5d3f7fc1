/** Joins against DuckDB: inner/left/outer, duplicate and null keys, two keys, spilling, schedulers. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { toRows } from '../../core/rows.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { duck } from '../util/duck.js';

let dir: string;
let facts: string;
let dims: string;
const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Rows as sorted JSON strings, so row order does not matter and values compare exactly. */
const canon = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k] === undefined ? null : r[k]]))).sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-join-'));
  const rng = new Xoshiro128(3);
  const n = 60_000, k = 5_000;
  const id: (number | null)[] = [], g: string[] = [], v: number[] = [];
  for (let i = 0; i < n; i++) {
    id.push(rng.nextU32() % 50 === 0 ? null : rng.nextU32() % (k + 500));
    g.push(`g${rng.nextU32() % 3}`);
    v.push(rng.nextU32() % 1000);
  }
  facts = join(dir, 'facts.parquet');
  await ts.fromColumns({ id, g, v }).writeParquet(facts);
  const did: (number | null)[] = [], dg: string[] = [], name: string[] = [], v2: number[] = [];
  for (let i = 0; i < k; i++) {
    // duplicate keys (every 10th id twice), null keys, ids missing from the facts
    did.push(i % 97 === 0 ? null : i); dg.push(`g${i % 3}`); name.push(`n${i}`); v2.push(i * 2);
    if (i % 10 === 0) { did.push(i); dg.push(`g${(i + 1) % 3}`); name.push(`dup${i}`); v2.push(-i); }
  }
  dims = join(dir, 'dims.parquet');
  await ts.fromColumns({ id: did, g: dg, name, v: v2 }).writeParquet(dims);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const duckJoin = (how: string, on: string[]) => {
  const j = how === 'outer' ? 'FULL OUTER' : how.toUpperCase();
  const keys = on.map((k) => how === 'outer' ? `coalesce(f.${k}, d.${k}) AS ${k}` : `f.${k} AS ${k}`);
  const rest = ['id', 'g', 'v'].filter((c) => !on.includes(c)).map((c) => `f.${c} AS ${c}`);
  const right = ['id', 'g', 'name', 'v'].filter((c) => !on.includes(c)).map((c) => `d.${c} AS ${c === 'name' ? c : `${c}_right`}`);
  return duck(`SELECT ${[...keys, ...rest, ...right].join(', ')} FROM read_parquet(${sq(facts)}) f ${j} JOIN read_parquet(${sq(dims)}) d ON ${on.map((k) => `f.${k} = d.${k}`).join(' AND ')}`);
};

describe('join', () => {
  for (const how of ['inner', 'left', 'outer'] as const) {
    for (const on of [['id'], ['id', 'g']]) {
      it(`${how} on ${on.join(', ')} equals DuckDB (threads)`, async () => {
        const t = await ts.readParquet(facts).join(ts.readParquet(dims), { on, how }).collect({ scheduler: 'threads', workers: 2 });
        const rows = toRows(t);
        const ref = await duckJoin(how, on);
        expect(rows.length).toBe(ref.length);
        expect(canon(rows)).toEqual(canon(ref));
      });
    }
  }

  it('keeps the left order for inner and left joins, and the output columns are named as documented', async () => {
    const l = ts.fromColumns({ k: [3, 1, 2, 1, null], x: ['a', 'b', 'c', 'd', 'e'] }, { chunkRows: 2 });
    const r = ts.fromColumns({ k: [1, 2, 2, null], x: ['one', 'two', 'TWO', 'nul'] });
    expect(toRows(await l.join(r, { on: 'k', how: 'left' }).collect({ scheduler: 'sync' }))).toEqual([
      { k: 3, x: 'a', x_right: null }, { k: 1, x: 'b', x_right: 'one' }, { k: 2, x: 'c', x_right: 'two' }, { k: 2, x: 'c', x_right: 'TWO' },
      { k: 1, x: 'd', x_right: 'one' }, { k: null, x: 'e', x_right: null },
    ]);
    expect(await l.join(r, { on: 'k' }).schema()).toEqual({ k: 'int64', x: 'utf8', x_right: 'utf8' });
    // pruning the left x must not rename the right one
    expect(toRows(await l.join(r, { on: 'k' }).select('x_right').collect({ scheduler: 'sync' })).map((r) => r.x_right)).toEqual(['one', 'two', 'TWO', 'one']);
  });

  it('aggregates over a join (broadcast, probed in the workers; or grace, in the coordinator); filters go below the join; sync, threads and a tiny memory limit agree', async () => {
    const q = ts.readParquet(facts).join(ts.readParquet(dims), { on: 'id' }).filter(ts.col('v').gt(100).and(ts.col('name').ne('n7')))
      .groupBy('g').agg({ n: ts.count(), s: ts.col('v_right').sum() }).sort('g');
    const plan = q.explain();
    expect(plan).toMatch(/Join inner on=\[id\]/);
    expect(plan).toMatch(/ParquetScan facts.parquet .*filters=\[\(v > 100\)\]/);
    expect(plan).toMatch(/ParquetScan dims.parquet .*filters=\[\(name != "n7"\)\]/);
    const ref = await duck(`SELECT f.g, count(*) AS n, sum(d.v) AS s FROM read_parquet(${sq(facts)}) f JOIN read_parquet(${sq(dims)}) d ON f.id = d.id WHERE f.v > 100 AND d.name <> 'n7' GROUP BY f.g ORDER BY f.g`);
    const spill = join(dir, 'spill');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(spill, { recursive: true });
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }, { scheduler: 'threads' as const, workers: 2, memoryLimit: '4MiB', spillDir: spill }]) {
      const res = await ts.compute(q, { ...opts, metrics: true });
      expect(toRows(res[0])).toEqual(ref);
      // the small build side fits: it is probed in the workers, not joined in the coordinator
      const ops = res.metrics!.operators.map((o) => o.operator);
      expect(ops).toContain('join inner on id (broadcast build side)');
      expect(ops).not.toContain('join inner on id');
    }
    // a build side beyond its share goes to the coordinator's grace join, read once, same answer
    const big = ts.readParquet(dims).join(ts.readParquet(facts), { on: 'id', how: 'left' }).groupBy('g').agg({ n: ts.count(), s: ts.col('v_right').sum() }).sort('g');
    const bigRef = await duck(`SELECT d.g, count(*) AS n, sum(f.v) AS s FROM read_parquet(${sq(dims)}) d LEFT JOIN read_parquet(${sq(facts)}) f ON d.id = f.id GROUP BY d.g ORDER BY d.g`);
    const res = await ts.compute(big, { scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill, metrics: true });
    expect(toRows(res[0])).toEqual(bigRef);
    const ops = res.metrics!.operators.map((o) => o.operator);
    expect(ops).toContain('join left on id');
    expect(ops).not.toContain('join left on id (broadcast build side)');
    const once = await ts.compute(ts.readParquet(facts).select(ts.count()), { metrics: true });
    expect(res.metrics!.partitionsRead['facts.parquet']).toBe(once.metrics!.partitions);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('an inner join builds the smaller side: a small left side swaps with the right, same columns and rows', async () => {
    const q = ts.readParquet(dims).join(ts.readParquet(facts), { on: 'id' });
    const plan = q.explain();
    // the optimized plan reads facts as the probe side and builds dims
    expect(plan).toMatch(/Join inner on=\[id\][^\n]*\n\s+ParquetScan facts\.parquet/);
    expect(q.explain({ rules: { joinBuildSide: false } })).toMatch(/Join inner on=\[id\][^\n]*\n\s+ParquetScan dims\.parquet/);
    expect(await q.schema()).toEqual({ id: 'int64', g: 'utf8', name: 'utf8', v: 'int64', g_right: 'utf8', v_right: 'int64' });
    const res = await ts.compute(q, { scheduler: 'threads', workers: 2, metrics: true });
    expect(res.metrics!.operators.map((o) => o.operator)).toContain('join inner on id (broadcast build side)');
    const ref = await duck(`SELECT d.id, d.g, d.name, d.v, f.g AS g_right, f.v AS v_right FROM read_parquet(${sq(dims)}) d JOIN read_parquet(${sq(facts)}) f ON d.id = f.id`);
    expect(canon(toRows(res[0]))).toEqual(canon(ref));
    expect(canon(toRows(await q.collect({ scheduler: 'sync', rules: { joinBuildSide: false } })))).toEqual(canon(ref));
  });

  it('a build side over its memory share spills (grace join) and still equals DuckDB; the spill directory ends empty', async () => {
    const spill = join(dir, 'spill2');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(spill, { recursive: true });
    const q = ts.readParquet(dims).join(ts.readParquet(facts), { on: 'id', how: 'outer' }).groupBy('g').agg({ n: ts.count(), s: ts.col('v_right').sum(), m: ts.col('v').max() }).sort('g');
    const res = await ts.compute(q, { scheduler: 'threads', workers: 2, memoryLimit: '4MiB', spillDir: spill, metrics: true });
    const ref = await duck(`SELECT d.g, count(*) AS n, sum(f.v) AS s, max(d.v) AS m FROM read_parquet(${sq(dims)}) d FULL OUTER JOIN read_parquet(${sq(facts)}) f ON d.id = f.id GROUP BY d.g ORDER BY d.g NULLS LAST`);
    expect(toRows(res[0])).toEqual(ref);
    const op = res.metrics!.operators.find((o) => o.operator.startsWith('join outer'))!;
    expect(op.spilledBytes).toBeGreaterThan(0);
    expect(op.partitions).toBeGreaterThan(0);
    expect(res.metrics!.spilledBytes).toBe(op.spilledBytes);
    expect(readdirSync(spill)).toEqual([]);
  });

  it('rejects bad joins with typed errors', async () => {
    const l = ts.fromColumns({ k: [1], s: ['a'] });
    await expect(l.join(ts.fromColumns({ k: ['1'] }), { on: 'k' }).collect({ scheduler: 'sync' })).rejects.toThrow(ts.SchemaError);
    await expect(l.join(ts.fromColumns({ j: [1] }), { on: 'k' }).collect({ scheduler: 'sync' })).rejects.toThrow(/unknown column "k"/);
    expect(() => l.join(l, { on: [] })).toThrow(ts.PlanError);
    expect(() => l.join(l, { on: 'k', how: 'cross' as never })).toThrow(/unknown how/);
  });
});
