/** Bad input gets a typed error naming what is wrong; never a crash, a hang or a partial output. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { flightsPath } from '../../datasets/flights.js';

const dir = join(import.meta.dirname, '../../.test-data/errors');
const f = (name: string) => join(dir, name);

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(f('ok.csv'), 'a,b,s\n1,2.5,x\n3,4.5,y\n');
  writeFileSync(f('unterminated.csv'), 'a,b\n1,"abc\n2,3\n');
  writeFileSync(f('fields.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  writeFileSync(f('badint.csv'), 'a,b\n1,2\n3,x7\n');
  writeFileSync(f('empty.csv'), '');
  const pq = readFileSync(flightsPath());
  writeFileSync(f('truncated.parquet'), pq.subarray(0, pq.length >> 1));
  writeFileSync(f('garbage.parquet'), Buffer.from('this is not a parquet file at all, PAR1'));
  writeFileSync(f('empty.parquet'), '');
  writeFileSync(f('garbage.arrow'), Buffer.from('ARROW1\0\0 garbage garbage garbage'));
});

async function failure(p: Promise<unknown>): Promise<ts.TesseraError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(ts.TesseraError); return e as ts.TesseraError; }
  throw new Error('expected a failure');
}

const sync = { scheduler: 'sync' as const };
const threads = { scheduler: 'threads' as const, workers: 2 };

describe('bad input', () => {
  it('missing file and directory: IOError with the path', async () => {
    const e = await failure(ts.readCsv(f('nope.csv')).collect());
    expect(e).toBeInstanceOf(ts.IOError);
    expect(e.message).toContain('nope.csv');
    const d = await failure(ts.readParquet(dir).collect());
    expect(d).toBeInstanceOf(ts.IOError);
    expect(d.message).toMatch(/directory/);
  });

  it('unknown column lists the valid ones', async () => {
    const e = await failure(ts.readCsv(f('ok.csv')).select('zz').collect());
    expect(e).toBeInstanceOf(ts.SchemaError);
    expect(e.message).toMatch(/unknown column "zz"; valid columns: "a", "b", "s"/);
    expect(() => ts.readParquet(flightsPath()).filter(ts.col('Delay').gt(1)).explain()).toThrow(/did you mean "delay"/);
  });

  it('type mismatch in an expression', async () => {
    const e = await failure(ts.readParquet(flightsPath()).select(ts.col('origin').add(1)).collect());
    expect(e).toBeInstanceOf(ts.SchemaError);
    expect(e.message).toMatch(/origin.*needs numbers, got utf8/);
  });

  it('mixing aggregations and row-wise expressions in select is a PlanError', () => {
    expect(() => ts.readCsv(f('ok.csv')).select(ts.col('a').min(), 'b')).toThrow(ts.PlanError);
  });

  it('malformed CSV: unterminated quote, wrong field count, unparsable value', async () => {
    for (const opts of [sync, threads]) {
      const u = await failure(ts.readCsv(f('unterminated.csv')).collect(opts));
      expect(u).toBeInstanceOf(ts.ParseError);
      expect(u.message).toMatch(/unterminated/);
      expect(u.message).toContain('unterminated.csv');
      const w = await failure(ts.readCsv(f('fields.csv')).collect(opts));
      expect(w).toBeInstanceOf(ts.ParseError);
      expect(w.message).toContain('fields.csv');
      expect(w.message).toMatch(/line 3/);
      const v = await failure(ts.readCsv(f('badint.csv'), { schema: { b: 'int64' } }).collect(opts));
      expect(v).toBeInstanceOf(ts.ParseError);
      expect(v.message).toMatch(/x7/);
      expect(v.message).toMatch(/"b"|column b/);
      expect(v.message).toMatch(/line 3/);
    }
  });

  it('empty, truncated and corrupt files', async () => {
    for (const name of ['empty.csv', 'truncated.parquet', 'garbage.parquet', 'empty.parquet']) {
      const read = name.endsWith('.csv') ? ts.readCsv(f(name)) : ts.readParquet(f(name));
      const e = await failure(read.collect(threads));
      expect(e).toBeInstanceOf(ts.ParseError);
      expect(e.message).toContain(name);
    }
    const a = await failure(ts.readArrow(f('garbage.arrow')).collect());
    expect(a).toBeInstanceOf(ts.ParseError);
    expect(a.message).toContain('garbage.arrow');
  });

  it('an error inside a worker surfaces with its cause and the pool stays usable', async () => {
    const e = await failure(ts.readCsv(f('ok.csv')).select(ts.col('s').cast('int64')).collect(threads));
    expect(e.message).toMatch(/"x"/);
    const t = await ts.readCsv(f('ok.csv')).select(ts.col('a').sum()).collect(threads);
    expect(Number(t.getChild('a')!.get(0))).toBe(4);
  });

  it('a failed write leaves no partial output', async () => {
    const out = f('out.parquet');
    await failure(ts.readCsv(f('badint.csv'), { schema: { b: 'int64' } }).writeParquet(out));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    await failure(ts.readCsv(f('ok.csv')).writeCsv(join(dir, 'no-such-dir', 'x.csv')));
  });

  it('bad settings are PlanErrors', () => {
    expect(() => ts.config({ memoryLimit: 'lots' })).toThrow(/memoryLimit: cannot parse "lots"/);
    expect(() => ts.config({ workers: 0 })).toThrow(ts.PlanError);
  });
});

describe('capabilities not built yet', () => {
  it('raise NotImplementedError naming the capability', async () => {
    await expect(ts.fromColumns({ x: [1] }).collect({ scheduler: 'processes' })).rejects.toThrow(ts.NotImplementedError);
  });
});
