/** The Parquet reader on a real file nobody here wrote (3M flights, ZSTD + dictionary pages), checked with DuckDB. */
import { describe, expect, it, beforeAll } from 'vitest';
import { flightsPath } from '../../../datasets/flights.js';
import { parquetReader } from '../../../io/parquet/index.js';
import type { SourceInfo, SourceSpec } from '../../../io/source.js';
import { stringAt } from '../../../ops/column/build.js';
import { duck } from '../../util/duck.js';
import { sqlString } from './util.js';

const path = flightsPath();
const spec: SourceSpec = { format: 'parquet', paths: [path], options: {} };
let info: SourceInfo;
/** first row of each row group */
const starts: number[] = [];

beforeAll(async () => {
  info = await parquetReader.describe(spec);
  let r = 0;
  for (const p of info.partitions) { starts.push(r); r += p.rows!; }
});

describe('flights-3m.parquet', () => {
  it('has the schema and one partition per row group', () => {
    expect(info.files).toEqual([path]);
    expect(info.schema).toEqual({ date: 'timestamp', delay: 'int64', distance: 'int64', origin: 'utf8', destination: 'utf8' });
    expect(info.partitions).toHaveLength(11);
    expect(info.partitions.map((p) => p.seq)).toEqual([...Array(11).keys()]);
    expect(info.partitions.map((p) => p.index)).toEqual([...Array(11).keys()]);
    expect(info.partitions.reduce((s, p) => s + p.rows!, 0)).toBe(3_000_000);
    for (const p of info.partitions) expect(p.bytes).toBeGreaterThan(0);
  });

  it('row groups match DuckDB: count, sum, min, max, string bounds and sampled rows', async () => {
    for (const g of [0, 5, 10]) {
      const part = info.partitions[g];
      const a = starts[g], b = a + part.rows!;
      const where = `file_row_number >= ${a} AND file_row_number < ${b}`;
      const [want] = await duck(`SELECT count(*) n, sum(delay) s, min(delay) lo, max(delay) hi, sum(distance) d,
        min(origin) omin, max(destination) dmax, min(date) tmin, max(date) tmax
        FROM read_parquet(${sqlString(path)}, file_row_number = true) WHERE ${where}`);
      const batch = await parquetReader.read(spec, part, ['delay', 'distance', 'origin', 'destination', 'date'], info.schema);
      const delay = batch.columns.delay.values, dist = batch.columns.distance.values, date = batch.columns.date.values;
      let s = 0, d = 0, lo = Infinity, hi = -Infinity, tmin = Infinity, tmax = -Infinity;
      for (let i = 0; i < batch.length; i++) {
        s += delay[i]; d += dist[i];
        lo = Math.min(lo, delay[i]); hi = Math.max(hi, delay[i]);
        tmin = Math.min(tmin, date[i]); tmax = Math.max(tmax, date[i]);
      }
      let omin = stringAt(batch.columns.origin, 0), dmax = stringAt(batch.columns.destination, 0);
      for (let i = 1; i < batch.length; i++) {
        const o = stringAt(batch.columns.origin, i), t = stringAt(batch.columns.destination, i);
        if (o < omin) omin = o;
        if (t > dmax) dmax = t;
      }
      expect({ n: batch.length, s, lo, hi, d, omin, dmax, tmin, tmax }).toEqual(want);
      expect(batch.columns.delay.nullCount).toBe(0);

      // row-for-row on a sample spread over the group
      const picks = [0, 1, 7, 1000, 123_456, part.rows! - 1];
      const rows = await duck(`SELECT file_row_number r, date, delay, distance, origin, destination
        FROM read_parquet(${sqlString(path)}, file_row_number = true) WHERE file_row_number IN (${picks.map((k) => a + k).join(',')}) ORDER BY r`);
      rows.forEach((row, k) => {
        const i = picks[k];
        expect({ date: date[i], delay: delay[i], distance: dist[i], origin: stringAt(batch.columns.origin, i), destination: stringAt(batch.columns.destination, i) })
          .toEqual({ date: row.date, delay: row.delay, distance: row.distance, origin: row.origin, destination: row.destination });
      });
    }
  });

  it('whole-file aggregates match DuckDB (and read time is reported)', async () => {
    const [want] = await duck(`SELECT count(*) n, min(delay) lo, max(delay) hi, avg(delay) mean FROM read_parquet(${sqlString(path)})`);
    const t0 = performance.now();
    let n = 0, sum = 0, lo = Infinity, hi = -Infinity;
    for (const p of info.partitions) {
      const b = await parquetReader.read(spec, p, ['delay', 'origin', 'destination'], info.schema);
      const v = b.columns.delay.values;
      for (let i = 0; i < b.length; i++) { const x = v[i]; sum += x; if (x < lo) lo = x; if (x > hi) hi = x; }
      n += b.length;
    }
    const ms = performance.now() - t0;
    console.log(`flights-3m: read 11 row groups x (delay, origin, destination) in ${ms.toFixed(0)} ms`);
    expect({ n, lo, hi, mean: sum / n }).toEqual({ n: want.n, lo: want.lo, hi: want.hi, mean: want.mean });
    expect(want).toEqual({ n: 3_000_000, lo: -1116, hi: 1688, mean: 6.667867666666667 });
  });

  it('decodes only the requested columns, in the requested order', async () => {
    const b = await parquetReader.read(spec, info.partitions[3], ['origin', 'delay'], info.schema);
    expect(Object.keys(b.columns)).toEqual(['origin', 'delay']);
    expect(b.length).toBe(info.partitions[3].rows);
    const none = await parquetReader.read(spec, info.partitions[3], [], info.schema);
    expect(none).toEqual({ length: info.partitions[3].rows, columns: {} });
  });

  it('the columns option restricts and orders the schema', async () => {
    const i2 = await parquetReader.describe({ ...spec, options: { columns: ['origin', 'delay'] } });
    expect(i2.schema).toEqual({ origin: 'utf8', delay: 'int64' });
    expect(Object.keys(i2.partitions[0].stats!)).toEqual(['delay', 'origin']);
  });

  it('partition stats agree with the data and with DuckDB parquet_metadata', async () => {
    const meta = await duck(`SELECT row_group_id g, path_in_schema c, stats_min_value lo, stats_max_value hi, stats_null_count nc
      FROM parquet_metadata(${sqlString(path)}) WHERE path_in_schema IN ('delay', 'origin')`);
    for (const m of meta) {
      const st = info.partitions[m.g as number].stats![m.c as string];
      const cast = (v: unknown) => (m.c === 'delay' ? Number(v) : v);
      expect(st).toEqual({ min: cast(m.lo), max: cast(m.hi), nullCount: m.nc });
    }
    const st = info.partitions[0].stats!;
    const b = await parquetReader.read(spec, info.partitions[0], ['date'], info.schema);
    const d = b.columns.date.values;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < d.length; i++) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
    expect(st.date).toEqual({ min: lo, max: hi, nullCount: 0 });
  });
});
