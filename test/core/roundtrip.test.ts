/** Readers and sinks through the public API, checked with DuckDB. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { flightsPath } from '../../datasets/flights.js';
import { duck } from '../util/duck.js';
import { rowsOf } from '../util/rows.js';

const dir = join(import.meta.dirname, '../../.test-data/roundtrip');
const f = (n: string) => join(dir, n);

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  // quoted fields with delimiters, doubled quotes and newlines, in a file cut into many tiny partitions
  const lines = ['id,text,v'];
  for (let i = 0; i < 3000; i++) {
    const text = i % 5 === 0 ? `"line one\nline ""two"", with comma"` : i % 7 === 0 ? '"a,b"' : `plain${i}`;
    lines.push(`${i},${text},${i % 9 === 0 ? '' : (i * 0.25).toString()}`);
  }
  writeFileSync(f('quoted.csv'), lines.join('\n') + '\n');
});

describe('CSV with quoted newlines', () => {
  it('parses identically with tiny blocks, sync and threads, and like DuckDB', async () => {
    const want = await duck(`SELECT id, text, v FROM read_csv('${f('quoted.csv')}') ORDER BY id`);
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const t = await ts.readCsv(f('quoted.csv'), { blocksize: 512 }).collect(opts);
      expect(rowsOf(t)).toEqual(want);
    }
  });
});

describe('sinks', () => {
  it('writeParquet / writeArrow / writeCsv stream a query result that DuckDB and Tessera read back identically', async () => {
    const q = () => ts.readParquet(flightsPath()).filter(ts.col('origin').eq('LAX')).select('origin', 'destination', 'delay', 'distance');
    await q().writeParquet(f('lax.parquet'));
    await q().writeCsv(f('lax.csv'));
    await q().writeArrow(f('lax.arrow'));
    const want = await duck(`SELECT count(*) n, sum(delay) d, sum(distance) s, count(DISTINCT destination) k FROM read_parquet('${flightsPath()}') WHERE origin = 'LAX'`);
    for (const src of [`read_parquet('${f('lax.parquet')}')`, `read_csv('${f('lax.csv')}')`]) {
      expect(await duck(`SELECT count(*) n, sum(delay) d, sum(distance) s, count(DISTINCT destination) k FROM ${src}`)).toEqual(want);
    }
    const agg = (d: ts.LazyFrame) => d.select(ts.count().alias('n'), ts.col('delay').sum().alias('d'), ts.col('distance').sum().alias('s'), ts.col('destination').nUnique().alias('k')).collect();
    for (const back of [ts.readParquet(f('lax.parquet')), ts.readCsv(f('lax.csv')), ts.readArrow(f('lax.arrow'))]) {
      expect(rowsOf(await agg(back))).toEqual(want);
    }
  });

  it('fromArrow / fromColumns / collect round trip', async () => {
    const t = await ts.fromColumns({ a: [1, 2, null], s: ['x', null, 'z'], f: new Float64Array([0.5, 1.5, 2.5]), b: [true, false, null] }).collect();
    const back = await ts.fromArrow(t).collect();
    expect(rowsOf(back)).toEqual([{ a: 1, s: 'x', f: 0.5, b: true }, { a: 2, s: null, f: 1.5, b: false }, { a: null, s: 'z', f: 2.5, b: null }]);
    expect(await ts.fromArrow(t).schema()).toEqual({ a: 'int64', s: 'utf8', f: 'float64', b: 'bool' });
  });
});
