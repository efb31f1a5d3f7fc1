/** Parquet files written by DuckDB and Polars (nulls, many types, several row groups, every codec and page version) read back value for value. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetReader } from '../../../io/parquet/index.js';
import type { SourceSpec } from '../../../io/source.js';
import { duck } from '../../util/duck.js';
import { batchRows, readAll, sqlString, tempDir } from './util.js';
import { plainBatch } from '../../../ops/column/dict.js';
import { withScratch } from '../../../io/scratch.js';

const dir = tempDir('pq-foreign');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (path: string): SourceSpec => ({ format: 'parquet', paths: [path], options: {} });

// 5000 rows, every column null now and then; strings include empty, unicode and high-cardinality values
const TABLE = `SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 3 = 0) END AS b,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 200 - 100)::TINYINT END AS i8,
  CASE WHEN i % 6 = 0 THEN NULL ELSE (i * 7 % 60000 - 30000)::SMALLINT END AS i16,
  CASE WHEN i % 8 = 0 THEN NULL ELSE (i * 1000003 % 2000000000 - 1000000000)::INTEGER END AS i32,
  CASE WHEN i % 9 = 0 THEN NULL ELSE (i::BIGINT * 1234567891 - 4000000000000)::BIGINT END AS i64,
  CASE WHEN i % 10 = 0 THEN NULL ELSE (i % 250)::UTINYINT END AS u8,
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 13 % 65000)::USMALLINT END AS u16,
  CASE WHEN i % 12 = 0 THEN NULL ELSE (i::BIGINT * 999983 % 4000000000)::UINTEGER END AS u32,
  CASE WHEN i % 13 = 0 THEN NULL ELSE (i::BIGINT * 99999989)::UBIGINT END AS u64,
  CASE WHEN i % 14 = 0 THEN NULL ELSE (i / 8.0)::FLOAT END AS f32,
  CASE WHEN i % 15 = 0 THEN NULL ELSE i * 0.1::DOUBLE - 7 END AS f64,
  CASE WHEN i % 21 = 0 THEN NULL ELSE (i * 1234567 - 99999) / 1000.0 END::DECIMAL(24, 3) AS wide,
  CASE WHEN i % 16 = 0 THEN NULL ELSE (i * 37 % 100000) / 100.0 END::DECIMAL(10, 2) AS dec,
  CASE WHEN i % 17 = 0 THEN NULL ELSE DATE '1969-12-25' + (i * 3)::INTEGER END AS d,
  CASE WHEN i % 18 = 0 THEN NULL ELSE TIMESTAMP '1969-12-31 23:00:00' + to_microseconds(i::BIGINT * 3600000123) END AS ts,
  CASE WHEN i % 19 = 0 THEN NULL WHEN i % 23 = 0 THEN '' ELSE ['alpha', 'beta', 'gämma', '日本', 'x'][i % 5 + 1] END AS s_dict,
  CASE WHEN i % 20 = 0 THEN NULL ELSE 'value-' || (i * 7919 % 100003)::VARCHAR || repeat('z', i % 40) END AS s_plain
FROM range(5000) t(i)`;

const COLS = ['id', 'b', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'wide', 'dec', 'd', 'ts', 's_dict', 's_plain'];

let want: Record<string, unknown>[];

beforeAll(async () => {
  want = await duck(`SELECT ${COLS.map((c) => (c === 'dec' || c === 'wide' ? `${c}::DOUBLE AS ${c}` : c)).join(', ')} FROM (${TABLE}) ORDER BY id`);
});

describe('Parquet written by DuckDB', () => {
  for (const [label, opts] of [
    ['zstd', "COMPRESSION zstd, ROW_GROUP_SIZE 2048"],
    ['snappy', "COMPRESSION snappy, ROW_GROUP_SIZE 1024"],
    ['gzip', "COMPRESSION gzip, ROW_GROUP_SIZE 3000"],
    ['uncompressed', "COMPRESSION uncompressed, ROW_GROUP_SIZE 2048"],
    ['page v2 + delta encodings', "COMPRESSION zstd, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2"],
  ] as const) {
    it(`reads ${label} with every type and nulls, identical to DuckDB`, async () => {
      const f = join(dir, `duck-${label.replace(/\W+/g, '_')}.parquet`);
      await duck(`COPY (${TABLE}) TO ${sqlString(f)} (FORMAT parquet, ${opts})`);
      const { schema, rows, batches } = await readAll(parquetReader, spec(f));
      expect(schema).toEqual({
        id: 'int32', b: 'bool', i8: 'int8', i16: 'int16', i32: 'int32', i64: 'int64',
        u8: 'uint8', u16: 'uint16', u32: 'uint32', u64: 'uint64', f32: 'float32', f64: 'float64', wide: 'float64',
        dec: 'float64', d: 'date', ts: 'timestamp', s_dict: 'utf8', s_plain: 'utf8',
      });
      expect(batches.length).toBeGreaterThan(1);
      expect(rows).toEqual(want);
    });
  }

  it('hands every column dictionary-encoded on request where its pages are, and those decode to the same values', async () => {
    // low-cardinality numbers with and without nulls (dictionary pages) beside the table above
    const f = join(dir, 'duck-dict.parquet');
    await duck(`COPY (SELECT *, (id % 5)::INTEGER AS lo, CASE WHEN id % 4 = 0 THEN NULL ELSE id % 7 END::BIGINT AS lo_null, (id % 3) * 0.5 AS lo_f
      FROM (${TABLE})) TO ${sqlString(f)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)`);
    const info = await parquetReader.describe(spec(f));
    const names = Object.keys(info.schema);
    let encoded = 0;
    for (const p of info.partitions) {
      const plainRead = await parquetReader.read(spec(f), p, names, info.schema, {});
      const coded = await parquetReader.read(spec(f), p, names, info.schema, { dictionary: names });
      for (const n of ['lo', 'lo_null', 'lo_f']) expect(coded.columns[n].dictionary, n).toBeDefined();
      for (const n of names) if (coded.columns[n].dictionary) encoded++;
      expect(batchRows(plainBatch(coded))).toEqual(batchRows(plainRead));
      // codes decoded into the thread's reused arrays (a task of aggregates), which the row
      // groups before this one left holding their codes and null patterns
      const reused = await withScratch(async (alloc) => batchRows(plainBatch(await parquetReader.read(spec(f), p, names, info.schema, { dictionary: names, scratch: alloc }))));
      expect(reused).toEqual(batchRows(plainRead));
    }
    expect(encoded).toBeGreaterThan(3 * info.partitions.length);
  });

  it('reports row-group statistics in internal units', async () => {
    const f = join(dir, 'duck-stats.parquet');
    await duck(`COPY (${TABLE}) TO ${sqlString(f)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const info = await parquetReader.describe(spec(f));
    const [first] = await duck(`SELECT min(i64) lo, max(i64) hi, count(*) - count(i64) nc, min(ts) tlo, max(ts) thi, min(d) dlo, min(s_dict) slo, max(s_dict) shi
      FROM (SELECT * FROM (${TABLE}) LIMIT 2048)`);
    const st = info.partitions[0].stats!;
    expect(st.i64).toEqual({ min: first.lo, max: first.hi, nullCount: first.nc });
    expect(st.ts).toMatchObject({ min: first.tlo, max: first.thi });
    expect(st.d).toMatchObject({ min: first.dlo });
    expect(st.s_dict).toMatchObject({ min: first.slo, max: first.shi });
  });

  it('reads a file whose pages are all null, and an empty file with a schema', async () => {
    const f = join(dir, 'duck-nulls.parquet');
    await duck(`COPY (SELECT i, NULL::VARCHAR s, NULL::BIGINT n FROM range(3000) t(i)) TO ${sqlString(f)} (FORMAT parquet)`);
    const { rows } = await readAll(parquetReader, spec(f));
    expect(rows).toHaveLength(3000);
    expect(rows[2999]).toEqual({ i: 2999, s: null, n: null });
    const e = join(dir, 'duck-empty.parquet');
    await duck(`COPY (SELECT 1::INTEGER a, 'x' s WHERE false) TO ${sqlString(e)} (FORMAT parquet)`);
    const info = await parquetReader.describe(spec(e));
    expect(info.schema).toEqual({ a: 'int32', s: 'utf8' });
    expect(info.partitions).toEqual([]);
  });
});

describe('Parquet written by Polars', () => {
  it('reads nulls, strings, integers, floats, booleans, dates and timestamps', async () => {
    const n = 4000;
    const idx = [...Array(n).keys()];
    const df = pl.DataFrame({
      i: idx,
      v: idx.map((i) => (i % 7 === 0 ? null : i * 1000003 - 5e8)),
      x: idx.map((i) => (i % 5 === 0 ? null : i / 3)),
      s: idx.map((i) => (i % 6 === 0 ? null : `s${i % 97}-é`)),
      b: idx.map((i) => (i % 9 === 0 ? null : i % 2 === 0)),
    }).withColumns(
      pl.col('i').cast(pl.Int64),
      pl.col('v').cast(pl.Int64),
      pl.col('i').cast(pl.Int32).alias('d').cast(pl.Date),
      pl.col('i').mul(1_000_001).cast(pl.Datetime('us')).alias('t'),
    );
    for (const compression of ['zstd', 'snappy', 'uncompressed'] as const) {
      const f = join(dir, `polars-${compression}.parquet`);
      df.writeParquet(f, { compression });
      const { schema, rows } = await readAll(parquetReader, spec(f));
      expect(schema).toEqual({ i: 'int64', v: 'int64', x: 'float64', s: 'utf8', b: 'bool', d: 'date', t: 'timestamp' });
      const duckRows = await duck(`SELECT * FROM read_parquet(${sqlString(f)})`);
      expect(rows).toEqual(duckRows);
      expect(rows[7]).toEqual({ i: 7, v: null, x: 7 / 3, s: 's7-é', b: false, d: 7, t: 7_000_007 });
    }
  });
});
