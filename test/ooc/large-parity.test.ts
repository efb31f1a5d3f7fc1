/**
 * Out-of-core parity at size: a group-by with 1M groups and a two-key sort of 5M rows, each
 * under an 8 MiB memory limit (so they spill), equal DuckDB's answers. The results are
 * written to Parquet and compared with DuckDB's own in SQL, row by row, so the comparison
 * itself stays fast.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { duck } from '../util/duck.js';

let dir: string;
let spill: string;
const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-large-'));
  spill = join(dir, 'spill');
  mkdirSync(spill);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { col } = ts;

describe('out-of-core parity at size (8 MiB memory limit)', () => {
  it('groupBy with 1M groups equals DuckDB for sum, mean, count, min, max, std, first, last; spill files removed', async () => {
    const n = 2_000_000, groups = 1_000_000;
    const rng = new Xoshiro128(5);
    // every key twice, in shuffled order: exactly 1M groups
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i % groups;
    for (let i = n - 1; i > 0; i--) { const j = rng.nextU32() % (i + 1); const t = order[i]; order[i] = order[j]; order[j] = t; }
    const k: string[] = new Array(n);
    const x = new Float64Array(n), rn = new Float64Array(n);
    for (let i = 0; i < n; i++) { k[i] = `k${order[i]}`; x[i] = (rng.nextU32() % 1_000_000) / 100; rn[i] = i; }
    const src = join(dir, 'groups.parquet');
    await ts.fromColumns({ k, x, rn }, { chunkRows: 200_000 }).writeParquet(src);
    const out = join(dir, 'groups-out.parquet');
    const res = await ts.compute(ts.readParquet(src).groupBy('k').agg({
      s: col('x').sum(), m: col('x').mean(), c: ts.count(), lo: col('x').min(), hi: col('x').max(), sd: col('x').std(), f: col('x').first(), l: col('x').last(),
    }), { scheduler: 'threads', workers: 2, memoryLimit: '8MiB', spillDir: spill, metrics: true });
    expect(res.metrics!.operators.find((o) => o.operator === 'aggregate by k')!.spilledBytes).toBeGreaterThan(0);
    await ts.fromArrow(res[0]).writeParquet(out);
    const [cmp] = await duck(`WITH want AS (SELECT k, sum(x) s, avg(x) m, count(*) c, min(x) lo, max(x) hi, stddev_samp(x) sd, arg_min(x, rn) f, arg_max(x, rn) l FROM read_parquet(${sq(src)}) GROUP BY k)
      SELECT (SELECT count(*) FROM read_parquet(${sq(out)})) AS got, (SELECT count(*) FROM want) AS want,
        count(*) FILTER (WHERE g.k IS NULL OR w.k IS NULL OR g.c <> w.c OR g.lo <> w.lo OR g.hi <> w.hi OR g.f <> w.f OR g.l <> w.l
          OR abs(g.s - w.s) > 1e-9 * abs(w.s) OR abs(g.m - w.m) > 1e-9 * abs(w.m) OR abs(g.sd - w.sd) > 1e-9 * abs(w.sd)) AS bad
      FROM read_parquet(${sq(out)}) g FULL OUTER JOIN want w USING (k)`);
    expect(cmp).toEqual({ got: groups, want: groups, bad: 0 });
    expect(readdirSync(spill)).toEqual([]);
  }, 300_000);

  it('a two-key sort of 5M rows equals DuckDB row for row (stable: ties in input order), streamed into Parquet', async () => {
    const n = 5_000_000;
    const rng = new Xoshiro128(9);
    const a = new Int32Array(n), b = new Float64Array(n), id = new Float64Array(n);
    for (let i = 0; i < n; i++) { a[i] = rng.nextU32() % 5000; b[i] = (rng.nextU32() % 64) / 4; id[i] = i; }
    const src = join(dir, 'sort.parquet');
    await ts.fromColumns({ a, b, id }, { chunkRows: 250_000 }).writeParquet(src);
    const out = join(dir, 'sort-out.parquet');
    const q = ts.readParquet(src).sort(['a', 'b'], { descending: [false, true] });
    let spilled = 0;
    const off = ts.events.subscribe((e) => { if (e.type === 'operator-finished' && e.operator === 'sort by a, b') spilled += e.spilledBytes; });
    try {
      await q.writeParquet(out, { scheduler: 'threads', workers: 2, memoryLimit: '8MiB', spillDir: spill });
    } finally {
      off();
    }
    expect(spilled).toBeGreaterThan(0);
    const [cmp] = await duck(`SELECT count(*) AS rows, count(*) FILTER (WHERE g.id <> w.id) AS bad
      FROM (SELECT id, file_row_number AS pos FROM read_parquet(${sq(out)}, file_row_number = true)) g
      JOIN (SELECT id, row_number() OVER (ORDER BY a, b DESC, id) - 1 AS pos FROM read_parquet(${sq(src)})) w USING (pos)`);
    expect(cmp).toEqual({ rows: n, bad: 0 });
    expect(readdirSync(spill)).toEqual([]);
  }, 300_000);
});
