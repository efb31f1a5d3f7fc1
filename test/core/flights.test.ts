/** The demo's report on the shipped flights file, checked against DuckDB. */
import { describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { flightsPath } from '../../datasets/flights.js';
import { duck } from '../util/duck.js';
import { expectRowsClose, rowsOf } from '../util/rows.js';

const path = flightsPath();
const { col } = ts;

describe('flights report', () => {
  it('one compute() answers summary, by-origin and top routes like DuckDB, reading each row group once', async () => {
    const f = ts.readParquet(path);
    const res = await ts.compute(
      f.select(col('delay').min().alias('mn'), col('delay').max().alias('mx'), col('delay').mean().alias('avg'), col('delay').count().alias('n')),
      f.groupBy('origin').agg({ flights: ts.count(), mean_delay: col('delay').mean() }).sort(['flights', 'origin'], { descending: [true, false] }).head(10),
      f.groupBy('origin', 'destination').agg({ flights: ts.count() }).sort(['flights', 'origin', 'destination'], { descending: [true, false, false] }).head(10),
      { metrics: true, scheduler: 'threads', workers: 2 },
    );
    const src = `read_parquet('${path}')`;
    expectRowsClose(rowsOf(res[0]), await duck(`SELECT min(delay) mn, max(delay) mx, avg(delay) avg, count(delay) n FROM ${src}`));
    expectRowsClose(rowsOf(res[1]), await duck(`SELECT origin, count(*) flights, avg(delay) mean_delay FROM ${src} GROUP BY origin ORDER BY flights DESC, origin LIMIT 10`));
    expect(rowsOf(res[2])).toEqual(await duck(`SELECT origin, destination, count(*) flights FROM ${src} GROUP BY ALL ORDER BY flights DESC, origin, destination LIMIT 10`));
    expect(res.metrics!.partitions).toBe(11);
    expect(res.metrics!.rowsRead).toBe(3_000_000);
    // the same answers at the smallest memory limit
    const small = await ts.compute(
      f.select(col('delay').min().alias('mn'), col('delay').max().alias('mx'), col('delay').mean().alias('avg'), col('delay').count().alias('n')),
      f.groupBy('origin').agg({ flights: ts.count(), mean_delay: col('delay').mean() }).sort(['flights', 'origin'], { descending: [true, false] }).head(10),
      f.groupBy('origin', 'destination').agg({ flights: ts.count() }).sort(['flights', 'origin', 'destination'], { descending: [true, false, false] }).head(10),
      { scheduler: 'threads', workers: 2, memoryLimit: '4MiB' },
    );
    small.forEach((t, i) => expect(rowsOf(t)).toEqual(rowsOf(res[i])));
  });

  it('a date filter prunes row groups by statistics and still answers like DuckDB', async () => {
    const q = ts.readParquet(path).filter(col('date').ge('2001-02-01').and(col('date').lt('2001-02-15'))).select(ts.count().alias('n'), col('delay').sum().alias('s'));
    const res = await ts.compute(q, { metrics: true });
    expect(res.metrics!.partitions).toBeLessThan(11);
    expect(rowsOf(res[0])).toEqual(await duck(`SELECT count(*) n, sum(delay) s FROM read_parquet('${path}') WHERE date >= '2001-02-01' AND date < '2001-02-15'`));
  });

  it('filters + projections keep order and match DuckDB; sync equals threads', async () => {
    const q = () => ts.readParquet(path).filter(col('origin').eq('SFO').and(col('delay').gt(300))).select('date', 'destination', col('delay').div(60).round(2).alias('hrs'));
    const a = rowsOf(await q().collect({ scheduler: 'sync' }));
    const b = rowsOf(await q().collect({ scheduler: 'threads', workers: 2 }));
    expect(b).toEqual(a);
    const want = await duck(`SELECT epoch_ms(date) date, destination, round(delay / 60, 2) hrs FROM read_parquet('${path}') WHERE origin = 'SFO' AND delay > 300`);
    expect(a.map((r) => ({ ...r, date: (r.date as Date | number) instanceof Date ? (r.date as Date).getTime() : Number(r.date) }))).toEqual(want);
  });

  it('a consumer that stops a stream early leaves the engine usable', async () => {
    for await (const rb of ts.readParquet(path).select('delay').stream({ scheduler: 'threads', workers: 2 })) { expect(rb.numRows).toBeGreaterThan(0); break; }
    for await (const rb of ts.readParquet(path).select('origin').stream({ scheduler: 'threads', workers: 2 })) { expect(rb.numRows).toBeGreaterThan(0); break; }
    const t = await ts.readParquet(path).select(ts.count().alias('n')).collect({ scheduler: 'threads', workers: 2 });
    expect(rowsOf(t)).toEqual([{ n: 3_000_000 }]);
  });

  it('stream() yields batches in source order with bounded batches', async () => {
    let rows = 0, batches = 0;
    for await (const rb of ts.readParquet(path).select('delay').stream({ scheduler: 'threads', workers: 2 })) { rows += rb.numRows; batches++; }
    expect(rows).toBe(3_000_000);
    expect(batches).toBe(11);
  });
});
