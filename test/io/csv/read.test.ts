/** Schema inference, overrides and dialect options of the CSV reader. */
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../../core/errors.js';
import { csvReader } from '../../../io/csv/index.js';
import { readAll, spec, tempDir, thrown } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

const day = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86400e3;
const micros = (s: string) => Date.parse(s) * 1000;

describe('schema inference', () => {
  it('bool, int64, float64, date, timestamp, utf8 and all-null columns', async () => {
    const p = t.file('types.csv', [
      'b,i,f,d,ts,s,n,mixed,big',
      'true,1,1.5,2024-01-31,2024-01-31 10:20:30,x,,1,9007199254740993',
      'FALSE,-2,2,2000-02-29,2024-01-31T10:20:30.123Z,y,,true,1',
      ',3,-1e3,,2024-02-01,,,2,2',
    ].join('\n') + '\n');
    const { info, rows } = await readAll(p);
    expect(info.schema).toEqual({ b: 'bool', i: 'int64', f: 'float64', d: 'date', ts: 'timestamp', s: 'utf8', n: 'utf8', mixed: 'utf8', big: 'float64' });
    expect(rows[0]).toEqual({ b: true, i: 1, f: 1.5, d: day('2024-01-31'), ts: micros('2024-01-31T10:20:30Z'), s: 'x', n: null, mixed: '1', big: 9007199254740992 });
    expect(rows[1].ts).toBe(micros('2024-01-31T10:20:30.123Z'));
    expect(rows[2]).toMatchObject({ b: null, f: -1000, d: null, ts: micros('2024-02-01T00:00:00Z'), s: null });
  });

  it('partial overrides keep the file column order; unknown names list the valid ones', async () => {
    const p = t.file('ovr.csv', 'a,b,c\n1,2,3\n4,5,6\n');
    const { info, rows } = await readAll(p, { schema: { c: 'utf8', a: 'float32' } });
    expect(Object.entries(info.schema)).toEqual([['a', 'float32'], ['b', 'int64'], ['c', 'utf8']]);
    expect(rows[1]).toEqual({ a: 4, b: 5, c: '6' });
    const e = await thrown(readAll(p, { schema: { zz: 'int64' } }));
    expect(e).toBeInstanceOf(SchemaError);
    expect(e.code).toBe('SCHEMA_ERROR');
    expect(e.message).toMatch(/"zz"/);
    expect(e.message).toMatch(/valid columns: "a", "b", "c"/);
  });

  it('narrow integer types, bool spellings and timestamp offsets when declared', async () => {
    const p = t.file('narrow.csv', 'a,b,c,d\n-128,t,255,2024-01-01 00:00:00+02:00\n127,0,0,2024-01-01T12:00\n');
    const { rows } = await readAll(p, { schema: { a: 'int8', b: 'bool', c: 'uint8', d: 'timestamp' } });
    expect(rows).toEqual([
      { a: -128, b: true, c: 255, d: micros('2023-12-31T22:00:00Z') },
      { a: 127, b: false, c: 0, d: micros('2024-01-01T12:00:00Z') },
    ]);
  });

  it('only the requested columns are decoded, in the requested order', async () => {
    const p = t.file('cols.csv', 'a,b,c\n1,x,2.5\n');
    const s = spec(p);
    const info = await csvReader.describe(s);
    const b = await csvReader.read(s, info.partitions[0], ['c', 'a'], info.schema);
    expect(Object.keys(b.columns)).toEqual(['c', 'a']);
    const none = await csvReader.read(s, info.partitions[0], [], info.schema);
    expect(none.length).toBe(1);
    expect(await thrown(csvReader.read(s, info.partitions[0], ['q'], info.schema))).toBeInstanceOf(SchemaError);
  });
});

describe('dialect', () => {
  it('no header: column_1, column_2...', async () => {
    const p = t.file('nohdr.csv', '1,a\n2,b\n');
    const { info, rows } = await readAll(p, { header: false });
    expect(info.schema).toEqual({ column_1: 'int64', column_2: 'utf8' });
    expect(rows).toEqual([{ column_1: 1, column_2: 'a' }, { column_1: 2, column_2: 'b' }]);
  });

  it("delimiters ';' and tab, with quoting", async () => {
    const semi = t.file('semi.csv', 'a;b\n1;"x;y"\n2;z\n');
    expect((await readAll(semi, { delimiter: ';' })).rows).toEqual([{ a: 1, b: 'x;y' }, { a: 2, b: 'z' }]);
    const tab = t.file('tab.tsv', 'a\tb\n1\t"x\ty"\n2\t,\n');
    expect((await readAll(tab, { delimiter: '\t' })).rows).toEqual([{ a: 1, b: 'x\ty' }, { a: 2, b: ',' }]);
  });

  it("custom quote and quote: '' for bare quote characters", async () => {
    const p = t.file('sq.csv', "a,b\n1,'x,y'\n");
    expect((await readAll(p, { quote: "'" })).rows).toEqual([{ a: 1, b: 'x,y' }]);
    const bare = t.file('bare.csv', 'h,w\n5\'11",a"b\n');
    expect((await readAll(bare, { quote: '' })).rows).toEqual([{ h: '5\'11"', w: 'a"b' }]);
  });

  it('null values: empty by default, custom tokens, quoted fields never null', async () => {
    const p = t.file('nulls.csv', 'a,b\n,""\nNA,x\n-,NA\n');
    expect((await readAll(p)).rows).toEqual([{ a: null, b: '' }, { a: 'NA', b: 'x' }, { a: '-', b: 'NA' }]);
    const custom = await readAll(p, { nullValues: ['NA', '-'] });
    expect(custom.rows).toEqual([{ a: '', b: '' }, { a: null, b: 'x' }, { a: null, b: null }]);
    const ints = t.file('nullints.csv', 'a\n1\nNA\n3\n');
    const r = await readAll(ints, { nullValues: ['NA'] });
    expect(r.info.schema).toEqual({ a: 'int64' });
    expect(r.rows.map((x) => x.a)).toEqual([1, null, 3]);
  });

  it('CRLF line endings, a BOM, a missing final newline and blank lines', async () => {
    const p = t.file('crlf.csv', '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,"q"');
    const { info, rows } = await readAll(p);
    expect(Object.keys(info.schema)).toEqual(['a', 'b']);
    expect(rows).toEqual([{ a: 1, b: 'x\r\ny' }, { a: 2, b: 'z' }, { a: 3, b: 'q' }]);
    const nohdr = t.file('bom-nohdr.csv', '\uFEFF1,2\n');
    expect((await readAll(nohdr, { header: false })).rows).toEqual([{ column_1: 1, column_2: 2 }]);
  });

  it('one-column files keep empty lines as nulls', async () => {
    const p = t.file('one.csv', 'a\n1\n\n3\n');
    expect((await readAll(p, { blocksize: 2 })).rows.map((r) => r.a)).toEqual([1, null, 3]);
  });

  it('header-only file: the schema (utf8) and no rows; duplicate and blank names made unique', async () => {
    const p = t.file('hdr.csv', 'a,b,a,\n');
    const { info, rows } = await readAll(p);
    expect(info.schema).toEqual({ a: 'utf8', b: 'utf8', a_1: 'utf8', column_4: 'utf8' });
    expect(rows).toEqual([]);
    expect(info.partitions.length).toBe(1);
  });

  it('globs read files in order; a file with a different header is a SchemaError', async () => {
    t.file('part-1.csv', 'a,b\n1,x\n');
    t.file('part-2.csv', 'a,b\n2,y\n3,z\n');
    const { info, rows } = await readAll(`${t.dir}/part-*.csv`, { blocksize: 4 });
    expect(info.files.map((f) => f.slice(-10))).toEqual(['part-1.csv', 'part-2.csv']);
    expect(rows.map((r) => r.a)).toEqual([1, 2, 3]);
    expect(info.partitions.map((p) => p.seq)).toEqual([...info.partitions.keys()]);
    t.file('empty-1.csv', 'a,b\n');
    t.file('empty-2.csv', 'a,b\n7,2024-01-01\n');
    const typed = await readAll(`${t.dir}/empty-*.csv`);
    expect(typed.info.schema).toEqual({ a: 'int64', b: 'date' });
    expect(typed.rows).toEqual([{ a: 7, b: day('2024-01-01') }]);
    t.file('other-1.csv', 'a,b\n1,x\n');
    t.file('other-2.csv', 'a,c\n1,x\n');
    const e = await thrown(readAll(`${t.dir}/other-*.csv`));
    expect(e).toBeInstanceOf(SchemaError);
    expect(e.message).toContain('other-2.csv');
  });
});
