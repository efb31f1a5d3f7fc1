/** The streaming Parquet sink: round trips through our reader and through DuckDB, atomic output. */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError } from '../../../core/errors.js';
import { DTYPES, type Batch, type Schema } from '../../../core/types.js';
import { flightsPath } from '../../../datasets/flights.js';
import { parquetReader } from '../../../io/parquet/index.js';
import { openParquetSink } from '../../../io/sinks/parquet.js';
import type { SourceSpec } from '../../../io/source.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';
import { sliceBatch } from '../../../ops/column/take.js';
import { duck } from '../../util/duck.js';
import { batchArb } from './gen.js';
import { batchRows, readAll, sqlString, tempDir } from './util.js';

const dir = tempDir('pq-sink');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (path: string): SourceSpec => ({ format: 'parquet', paths: [path], options: {} });

async function writeBatches(path: string, schema: Schema, batches: Batch[], opts: Record<string, unknown> = {}): Promise<void> {
  const s = await openParquetSink(path, schema, opts);
  for (const b of batches) await s.write(b);
  await s.close();
}

/** Splits a batch at the given fractions, to feed a sink uneven pieces. */
function pieces(b: Batch, cuts: number[]): Batch[] {
  const at = [0, ...cuts.map((c) => Math.floor(c * b.length)).sort((x, y) => x - y), b.length];
  const out: Batch[] = [];
  for (let i = 0; i + 1 < at.length; i++) out.push(sliceBatch(b, at[i], at[i + 1]));
  return out;
}

describe('Parquet sink', () => {
  it('round-trips random columns of every dtype with nulls, through our reader and DuckDB', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      batchArb(300, DTYPES),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
      fc.integer({ min: 1, max: 120 }),
      fc.constantFrom('zstd', 'gzip', 'snappy', 'none'),
      async ({ schema, batch }, cuts, rowGroupSize, compression) => {
        const f = join(dir, `prop-${run++}.parquet`);
        await writeBatches(f, schema, pieces(batch, cuts), { rowGroupSize, compression });
        const want = batchRows(batch);
        const { schema: got, rows } = await readAll(parquetReader, spec(f));
        expect(got).toEqual(schema);
        expect(rows).toEqual(want);
        const info = await parquetReader.describe(spec(f));
        expect(info.partitions.length).toBe(Math.ceil(batch.length / rowGroupSize));
        const duckRows = await duck(`SELECT * FROM read_parquet(${sqlString(f)})`);
        expect(duckRows).toEqual(want);
      },
    ), { numRuns: 40 });
  });

  it('DuckDB sees the intended SQL types', async () => {
    const f = join(dir, 'types.parquet');
    const schema: Schema = {};
    const columns: Batch['columns'] = {};
    for (const d of DTYPES) {
      schema[d] = d;
      columns[d] = d === 'utf8' ? utf8FromStrings(['x', null]) : numericFromValues(d, [1, null]);
    }
    await writeBatches(f, schema, [{ length: 2, columns }]);
    const types = await duck(`SELECT column_name c, column_type t FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(f)}))`);
    expect(Object.fromEntries(types.map((r) => [r.c, r.t]))).toEqual({
      bool: 'BOOLEAN', int8: 'TINYINT', int16: 'SMALLINT', int32: 'INTEGER', int64: 'BIGINT',
      uint8: 'UTINYINT', uint16: 'USMALLINT', uint32: 'UINTEGER', uint64: 'UBIGINT',
      float32: 'FLOAT', float64: 'DOUBLE', utf8: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP',
    });
  });

  it('streams flights into row groups that DuckDB aggregates like the source', async () => {
    const src = flightsPath();
    const info = await parquetReader.describe(spec(src));
    const f = join(dir, 'flights.parquet');
    const t0 = performance.now();
    const s = await openParquetSink(f, info.schema, { rowGroupSize: 500_000 });
    for (const p of info.partitions.slice(0, 4)) await s.write(await parquetReader.read(spec(src), p, Object.keys(info.schema), info.schema));
    await s.close();
    console.log(`parquet sink: 4 flights row groups (1.09M rows x 5 columns) read + written in ${(performance.now() - t0).toFixed(0)} ms`);
    const rows = info.partitions.slice(0, 4).reduce((n, p) => n + p.rows!, 0);
    const agg = `count(*) n, sum(delay) d, sum(distance) s, min(date) t0, max(date) t1, count(DISTINCT origin) o, max(destination) m`;
    const [want] = await duck(`SELECT ${agg} FROM (SELECT * FROM read_parquet(${sqlString(src)}) LIMIT ${rows})`);
    const [got] = await duck(`SELECT ${agg} FROM read_parquet(${sqlString(f)})`);
    expect(got).toEqual(want);
    const written = await parquetReader.describe(spec(f));
    expect(written.partitions.map((p) => p.rows)).toEqual([500_000, 500_000, rows - 1_000_000]);
    expect(written.partitions[0].stats!.origin).toMatchObject({ nullCount: 0 });
  });

  it('writes a valid empty file when no batch arrives', async () => {
    const f = join(dir, 'empty.parquet');
    await writeBatches(f, { a: 'int64', s: 'utf8' }, []);
    const [r] = await duck(`SELECT count(*) n FROM read_parquet(${sqlString(f)})`);
    expect(r.n).toBe(0);
    const info = await parquetReader.describe(spec(f));
    expect(info).toMatchObject({ schema: { a: 'int64', s: 'utf8' }, partitions: [] });
  });

  it('handles strings too big for a zstd page and columns with too many distinct strings for a dictionary', async () => {
    const f = join(dir, 'big-strings.parquet');
    const big = 'q'.repeat(5 << 20);
    const distinct = Array.from({ length: 20_000 }, (_, i) => `unique-${i}-${'w'.repeat(i % 30)}`);
    await writeBatches(f, { s: 'utf8' }, [{ length: 3, columns: { s: utf8FromStrings(['a', big, null]) } }, { length: distinct.length, columns: { s: utf8FromStrings(distinct) } }]);
    const [r] = await duck(`SELECT count(*) n, max(length(s)) m, count(DISTINCT s) k FROM read_parquet(${sqlString(f)})`);
    expect(r).toEqual({ n: 20_003, m: 5 << 20, k: 20_002 });
    const { rows } = await readAll(parquetReader, spec(f));
    expect(rows[1].s).toBe(big);
    expect(rows.slice(3).map((x) => x.s)).toEqual(distinct);
  });

  it('writes integer columns with few distinct values as a dictionary, which both readers decode', async () => {
    const f = join(dir, 'int-dict.parquet');
    const n = 5000;
    const few = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : (i * 31) % 100 - 50));
    const many = Array.from({ length: n }, (_, i) => i * 3);
    const schema: Schema = { few: 'int32', small: 'int8', days: 'date', many: 'int32' };
    const columns = {
      few: numericFromValues('int32', few), small: numericFromValues('int8', few.map((v) => (v === null ? null : v % 100))),
      days: numericFromValues('date', few.map((v) => (v === null ? null : 19000 + v))), many: numericFromValues('int32', many),
    };
    await writeBatches(f, schema, [{ length: n, columns }], { rowGroupSize: 2000 });
    const encodings = await duck(`SELECT path_in_schema p, encodings e FROM parquet_metadata(${sqlString(f)}) WHERE row_group_id = 0`);
    const enc = Object.fromEntries(encodings.map((r) => [r.p, r.e]));
    for (const c of ['few', 'small', 'days']) expect(enc[c]).toContain('RLE_DICTIONARY');
    expect(enc.many).not.toContain('RLE_DICTIONARY');
    const want = batchRows({ length: n, columns });
    expect((await readAll(parquetReader, spec(f))).rows).toEqual(want);
    expect(await duck(`SELECT * FROM read_parquet(${sqlString(f)})`)).toEqual(want);
  });

  it('is atomic: a missing directory is an IOError with nothing left; abort leaves the target untouched', async () => {
    const missing = join(dir, 'no-such-dir', 'out.parquet');
    const e = await openParquetSink(missing, { a: 'int64' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IOError);
    expect((e as IOError).path).toBe(missing);

    const target = join(dir, 'keep.parquet');
    writeFileSync(target, 'previous contents');
    const s = await openParquetSink(target, { a: 'int64' });
    await s.write({ length: 2, columns: { a: numericFromValues('int64', [1, 2]) } });
    expect(readdirSync(dir).some((n) => n.startsWith('keep.parquet.tmp-'))).toBe(true);
    await s.abort();
    expect(readFileSync(target, 'utf8')).toBe('previous contents');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);

    await writeBatches(target, { a: 'int64' }, [{ length: 2, columns: { a: numericFromValues('int64', [1, 2]) } }]);
    expect(statSync(target).size).toBeGreaterThan(20);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });

  it('rejects a batch whose column type disagrees with the schema', async () => {
    const f = join(dir, 'mismatch.parquet');
    const s = await openParquetSink(f, { a: 'int64' });
    await expect(s.write({ length: 1, columns: { a: numericFromValues('float64', [1.5]) } })).rejects.toThrow(/float64/);
    await s.abort();
    expect(existsSync(f)).toBe(false);
  });
});
