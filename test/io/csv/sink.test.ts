/** The CSV sink: streamed, atomic, and read back identically by Tessera and DuckDB. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError } from '../../../core/errors.js';
import type { Batch, Schema } from '../../../core/types.js';
import { openCsvSink } from '../../../io/sinks/csv.js';
import { numericFromValues, utf8FromStrings } from '../../../ops/column/build.js';
import { duck } from '../../util/duck.js';
import { readAll, tempDir, thrown } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

const schema: Schema = { i: 'int64', f: 'float64', s: 'utf8', b: 'bool', d: 'date', ts: 'timestamp', small: 'int32' };

const rowsA = {
  i: [1, -2, null, 9007199254740991],
  f: [0.1, 1e21, -1.5e-300, 123456789.123456789],
  s: ['plain', 'comma, "quote"', 'line\nbreak\r\nend', ''],
  b: [true, false, null, true],
  d: [0, -1, 19000, null],
  ts: [0, 1704067200123456, -1, null],
  small: [1, null, -2147483648, 2147483647],
};
const rowsB = { i: [5], f: [Math.PI], s: [null], b: [false], d: [-719162], ts: [4102444799999999], small: [0] };

function batch(cols: Record<string, unknown[]>): Batch {
  const columns: Batch['columns'] = {};
  for (const [k, type] of Object.entries(schema)) {
    columns[k] = type === 'utf8' ? utf8FromStrings(cols[k] as (string | null)[]) : numericFromValues(type, cols[k]);
  }
  return { length: cols.i.length, columns };
}

function expectedRows(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const cols of [rowsA, rowsB]) {
    for (let r = 0; r < cols.i.length; r++) out.push(Object.fromEntries(Object.keys(schema).map((k) => [k, (cols as Record<string, unknown[]>)[k][r]])));
  }
  return out;
}

const tmpLeftovers = () => readdirSync(t.dir).filter((n) => n.includes('.tmp-'));

describe('openCsvSink', () => {
  it('writes what Tessera and DuckDB read back identically', async () => {
    const p = t.file('out.csv');
    const sink = await openCsvSink(p, schema);
    await sink.write(batch(rowsA));
    await sink.write(batch(rowsB));
    await sink.close();
    expect(tmpLeftovers()).toEqual([]);
    const text = readFileSync(p, 'utf8');
    expect(text.split('\n')[0]).toBe('i,f,s,b,d,ts,small');
    expect(text).toContain('"comma, ""quote"""');
    expect(text).toContain('2024-01-01 00:00:00.123456');
    expect(text).toContain('1969-12-31 23:59:59.999999');

    const want = expectedRows();
    const ours = await readAll(p, { blocksize: 16 });
    expect(ours.info.schema).toEqual({ ...schema, small: 'int64' });
    expect(ours.rows).toEqual(want);

    const types = "{'i': 'BIGINT', 'f': 'DOUBLE', 's': 'VARCHAR', 'b': 'BOOLEAN', 'd': 'DATE', 'ts': 'TIMESTAMP', 'small': 'INTEGER'}";
    const theirs = await duck(`SELECT * FROM read_csv('${p}', header = true, columns = ${types}, allow_quoted_nulls = false)`);
    expect(theirs).toEqual(want);
  });

  it('delimiter and header options; special floats survive', async () => {
    const p = t.file('semi.csv');
    const sc: Schema = { 'a;b': 'float64', c: 'utf8' };
    const sink = await openCsvSink(p, sc, { delimiter: ';', header: true });
    await sink.write({ length: 4, columns: { 'a;b': numericFromValues('float64', [NaN, -Infinity, -0, 5e-324]), c: utf8FromStrings(['x;y', 'z', null, '']) } });
    await sink.close();
    expect(readFileSync(p, 'utf8')).toBe('"a;b";c\nNaN;"x;y"\n-Infinity;z\n-0;\n5e-324;""\n');
    const { rows } = await readAll(p, { delimiter: ';' });
    expect(rows.map((r) => r['a;b'])).toEqual([NaN, -Infinity, -0, 5e-324]);
    expect(Object.is(rows[2]['a;b'], -0)).toBe(true);
    const nh = t.file('nohdr.csv');
    const s2 = await openCsvSink(nh, { x: 'int64' }, { header: false });
    await s2.write({ length: 2, columns: { x: numericFromValues('int64', [1, 2]) } });
    await s2.close();
    expect(readFileSync(nh, 'utf8')).toBe('1\n2\n');
  });

  it('streams: data reaches the temporary file before close, the target appears only at close', async () => {
    const p = t.file('big.csv');
    const sink = await openCsvSink(p, { s: 'utf8' });
    const n = 100_000;
    await sink.write({ length: n, columns: { s: utf8FromStrings(Array.from({ length: n }, (_, i) => `row number ${i}`)) } });
    const [tmp] = tmpLeftovers();
    expect(tmp).toMatch(new RegExp(`^big\\.csv\\.tmp-${process.pid}-`));
    expect(statSync(join(t.dir, tmp)).size).toBeGreaterThan(1 << 20);
    expect(existsSync(p)).toBe(false);
    await sink.close();
    expect(tmpLeftovers()).toEqual([]);
    expect(readFileSync(p, 'utf8').split('\n').length).toBe(n + 2);
  });

  it('abort removes the temporary file and leaves an existing target alone', async () => {
    const p = t.file('keep.csv', 'old\n');
    const sink = await openCsvSink(p, { s: 'utf8' });
    await sink.write({ length: 1, columns: { s: utf8FromStrings(['new']) } });
    await sink.abort();
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    expect(tmpLeftovers()).toEqual([]);
    await expect(sink.write({ length: 0, columns: { s: utf8FromStrings([]) } })).rejects.toBeInstanceOf(IOError);
  });

  it('a missing directory is an IOError naming the path, with nothing left behind', async () => {
    const p = join(t.dir, 'no-such-dir', 'x.csv');
    const e = await thrown(openCsvSink(p, { s: 'utf8' }));
    expect(e).toBeInstanceOf(IOError);
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toContain(p);
    expect(e.path).toBe(p);
    expect(existsSync(join(t.dir, 'no-such-dir'))).toBe(false);
  });
});
