/**
 * h2o db-benchmark groupby q1-q5 on a generated G1 table (CSV and Parquet), compared with
 * DuckDB and across schedulers (sync, threads with 1 and 2 workers, tiny blocks, a 4 MiB memory limit).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { writeG1Csv, writeG1Parquet } from '../../datasets/g1.js';
import { duck } from '../util/duck.js';
import { expectRowsClose, rowsOf, sortRows } from '../util/rows.js';

const dir = join(import.meta.dirname, '../../.test-data');
const csv = join(dir, 'g1_2e5.csv');
const pq = join(dir, 'g1_2e5.parquet');

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await writeG1Csv(csv, { rows: 200_000, seed: 7 });
  await writeG1Parquet(pq, { rows: 200_000, seed: 7 });
});

const { col } = ts;
const queries: Record<string, { q: (d: ts.LazyFrame) => ts.LazyFrame; sql: string; keys: string[] }> = {
  q1: { q: (d) => d.groupBy('id1').agg({ v1: col('v1').sum() }), sql: 'SELECT id1, sum(v1) v1 FROM T GROUP BY id1', keys: ['id1'] },
  q2: { q: (d) => d.groupBy('id1', 'id2').agg({ v1: col('v1').sum() }), sql: 'SELECT id1, id2, sum(v1) v1 FROM T GROUP BY id1, id2', keys: ['id1', 'id2'] },
  q3: { q: (d) => d.groupBy('id3').agg({ v1: col('v1').sum(), v3: col('v3').mean() }), sql: 'SELECT id3, sum(v1) v1, avg(v3) v3 FROM T GROUP BY id3', keys: ['id3'] },
  q4: { q: (d) => d.groupBy('id4').agg({ v1: col('v1').mean(), v2: col('v2').mean(), v3: col('v3').mean() }), sql: 'SELECT id4, avg(v1) v1, avg(v2) v2, avg(v3) v3 FROM T GROUP BY id4', keys: ['id4'] },
  q5: { q: (d) => d.groupBy('id6').agg({ v1: col('v1').sum(), v2: col('v2').sum(), v3: col('v3').sum() }), sql: 'SELECT id6, sum(v1) v1, sum(v2) v2, sum(v3) v3 FROM T GROUP BY id6', keys: ['id6'] },
};

for (const [fmt, file, read] of [['csv', csv, (p: string) => ts.readCsv(p, { blocksize: '1MiB' })], ['parquet', pq, (p: string) => ts.readParquet(p)]] as const) {
  describe(`h2o groupby on ${fmt}`, () => {
    for (const [name, { q, sql, keys }] of Object.entries(queries)) {
      it(`${name} equals DuckDB under sync and threads`, async () => {
        const src = fmt === 'csv' ? `read_csv('${file}')` : `read_parquet('${file}')`;
        const want = sortRows(await duck(sql.replace(' FROM T ', ` FROM ${src} `)), keys);
        for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 1 }, { scheduler: 'threads' as const, workers: 2 },
          { scheduler: 'threads' as const, workers: 2, memoryLimit: '4MiB' }]) {
          const got = sortRows(rowsOf(await q(read(file)).collect(opts)), keys);
          expectRowsClose(got, want);
        }
      });
    }
  });
}

describe('compute() shares one read between outputs', () => {
  it('three outputs over one CSV read each partition once', async () => {
    const d = ts.readCsv(csv, { blocksize: '1MiB' });
    const res = await ts.compute(queries.q1.q(d), queries.q3.q(d), d.select(col('v3').max()), { scheduler: 'threads', workers: 2, metrics: true });
    const parts = JSON.parse(JSON.stringify(res.metrics!.partitionsRead)) as Record<string, number>;
    const single = await ts.compute(d.select(col('v3').max()), { metrics: true, scheduler: 'threads', workers: 2 });
    expect(Object.keys(parts)).toEqual(['g1_2e5.csv']);
    expect(parts['g1_2e5.csv']).toBe(single.metrics!.partitions);
    expect(parts['g1_2e5.csv']).toBeGreaterThan(4);
    expect(res.metrics!.rowsRead).toBe(200_000);
    expect(res.metrics!.threads).toBe(2);
  });
});

describe('h2o on Parquet written by DuckDB (numbers in dictionary pages, read by code)', () => {
  const duckPq = join(dir, 'g1_2e5_duck.parquet');
  beforeAll(async () => {
    await duck(`COPY (SELECT * FROM read_csv('${csv}')) TO '${duckPq}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`);
  });
  const cases: Record<string, { q: (d: ts.LazyFrame) => ts.LazyFrame; sql: string; keys: string[] }> = {
    ...queries,
    filtered: {
      q: (d) => d.filter(col('id2').ne('id001')).groupBy('id1').agg({ s: col('v1').sum(), m: col('v2').mean(), lo: col('v1').min(), hi: col('v2').max(), n: col('v1').count() }),
      sql: "SELECT id1, sum(v1) s, avg(v2) m, min(v1) lo, max(v2) hi, count(v1) n FROM T WHERE id2 <> 'id001' GROUP BY id1",
      keys: ['id1'],
    },
    global: {
      q: (d) => d.select(col('v1').min().alias('lo'), col('v1').max().alias('hi'), col('v2').mean().alias('m'), col('v2').count().alias('n'), col('v1').sum().alias('s')),
      sql: 'SELECT min(v1) lo, max(v1) hi, avg(v2) m, count(v2) n, sum(v1) s FROM T',
      keys: [],
    },
  };
  for (const [name, { q, sql, keys }] of Object.entries(cases)) {
    it(`${name} equals DuckDB under sync and threads`, async () => {
      const want = sortRows(await duck(sql.replace(' FROM T', ` FROM read_parquet('${duckPq}')`)), keys);
      for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
        expectRowsClose(sortRows(rowsOf(await q(ts.readParquet(duckPq)).collect(opts)), keys), want);
      }
    });
  }
});

describe('a dictionary-encoded number shared by a sum and a scan in one read', () => {
  it('the scan reads the values, not the codes', async () => {
    const duckPq = join(dir, 'g1_2e5_duck_scan.parquet');
    await duck(`COPY (SELECT v1, v2 FROM read_csv('${csv}')) TO '${duckPq}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`);
    const [want] = await duck(`SELECT sum(v1) s, sum(v2) s2 FROM read_parquet('${duckPq}')`);
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const d = ts.readParquet(duckPq);
      const [sums, scanned] = await ts.compute(
        d.select(col('v1').sum().alias('s'), col('v2').sum().alias('s2')),
        d.select(col('v1').cumSum().alias('cs')).select(col('cs').last().alias('last')),
        opts);
      expect(rowsOf(sums)).toEqual([{ s: Number(want.s), s2: Number(want.s2) }]);
      expect(rowsOf(scanned)).toEqual([{ last: Number(want.s) }]);
    }
  });
});

describe('encoded columns shared between outputs of one read', () => {
  const duckPq = join(dir, 'g1_2e5_duck_rename.parquet');
  beforeAll(async () => {
    await duck(`COPY (SELECT id1, v1 FROM read_csv('${csv}')) TO '${duckPq}' (FORMAT parquet, ROW_GROUP_SIZE 50000)`);
  });

  it('a filter on renamed columns reads values, with pushdown off and another output taking them encoded', async () => {
    const want = sortRows(await duck(`SELECT id1 k, sum(v1) s FROM read_parquet('${duckPq}') WHERE v1 > 2 AND id1 <> 'id001' GROUP BY id1`), ['k']);
    const d = ts.readParquet(duckPq);
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const [, renamed] = await ts.compute(
        d.groupBy('id1').agg({ s: col('v1').sum() }),
        d.select(col('id1').alias('k'), col('v1').alias('x')).filter(col('x').gt(2).and(col('k').ne('id001'))).groupBy('k').agg({ s: col('x').sum() }),
        { ...opts, rules: { predicatePushdown: false } });
      expectRowsClose(sortRows(rowsOf(renamed), ['k']), want);
    }
  });

  it('a number one output sums by code is another output\'s group key', async () => {
    const want = sortRows(await duck(`SELECT v1, count(*) n, sum(v1) s FROM read_parquet('${duckPq}') GROUP BY v1`), ['v1']);
    const d = ts.readParquet(duckPq);
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const [total, byV1] = await ts.compute(d.select(col('v1').sum().alias('s')), d.groupBy('v1').agg({ n: ts.count(), s: col('v1').sum() }), opts);
      expect(rowsOf(total)).toEqual([{ s: want.reduce((a, r) => a + Number(r.s), 0) }]);
      expectRowsClose(sortRows(rowsOf(byV1), ['v1']), want);
    }
  });
});
