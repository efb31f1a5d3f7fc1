/**
 * The JSON-lines source: inference, overrides, partitioning, DuckDB's read_json_auto as the
 * oracle, and errors that name the file, line, column and value.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { zstdCompress } from '../../io/compress.js';
import { jsonReader } from '../../io/json/index.js';
import type { SourceSpec } from '../../io/source.js';
import { duck } from '../util/duck.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const sync = { scheduler: 'sync' as const };
const rowsOf = async (df: ts.LazyFrame, opts: ts.RunOptions = sync) => ts.toRows(await df.collect(opts));

async function failure(p: Promise<unknown>): Promise<ts.ParseError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(ts.ParseError); return e as ts.ParseError; }
  throw new Error('expected a failure');
}

/** Seeded records: integers, floats, strings with escapes and non-ASCII, a nested struct, missing keys and nulls. */
function records(n: number, seed = 1): Record<string, unknown>[] {
  const rng = new Xoshiro128(seed);
  const names = ['ann', 'bob', 'Zoë', '東京', 'quote"d', 'back\\slash', 'tab\there', '😀'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = { id: i, x: (rng.nextU32() % 100000) / 64 - 500, name: names[rng.nextU32() % names.length] };
    r.s = { a: rng.nextU32() % 50, b: rng.nextU32() % 4 === 0 ? null : `b${i % 13}` };
    if (i % 11 === 0) delete r.name;
    if (i % 17 === 0) r.x = null;
    out.push(r);
  }
  return out;
}
const jsonl = (rs: unknown[], eol = '\n') => rs.map((r) => JSON.stringify(r)).join(eol) + eol;

describe('inference', () => {
  const path = file('kinds.jsonl', [
    '{"i": 1, "f": 1.5, "b": true, "s": "x", "n": {"a": 1, "b": {"c": "deep"}}, "arr": [1, 2], "nul": null, "mix": 1, "whole": 2.0, "big": 1}',
    '',
    '   ',
    '{"i": -2, "f": 2, "b": false, "s": "y\\u00e9", "n": {"a": null}, "arr": [], "nul": null, "mix": "two", "whole": 3.0, "big": 9007199254740993, "obj": {}}',
    '{"i": null, "n": {"a": 3, "b": {"c": null}}, "mix": {"k": [true]}, "late": 1}',
  ].join('\r\n'));

  it('infers int/float/bool/utf8, flattens nested objects and keeps arrays and mixed kinds as JSON text', async () => {
    expect(await ts.readJson(path).schema()).toEqual({
      i: 'int64', f: 'float64', b: 'bool', s: 'utf8', 'n.a': 'int64', 'n.b.c': 'utf8', arr: 'utf8', nul: 'utf8',
      mix: 'utf8', whole: 'float64', big: 'float64', obj: 'utf8', late: 'int64',
    });
    expect(await rowsOf(ts.readJson(path))).toEqual([
      { i: 1, f: 1.5, b: true, s: 'x', 'n.a': 1, 'n.b.c': 'deep', arr: '[1,2]', nul: null, mix: '1', whole: 2, big: 1, obj: null, late: null },
      { i: -2, f: 2, b: false, s: 'yé', 'n.a': null, 'n.b.c': null, arr: '[]', nul: null, mix: 'two', whole: 3, big: 9007199254740992, obj: '{}', late: null },
      { i: null, f: null, b: null, s: null, 'n.a': 3, 'n.b.c': null, arr: null, nul: null, mix: '{"k":[true]}', whole: null, big: null, obj: null, late: 1 },
    ]);
  });

  it('schema overrides types, adds columns, and keys after the sample are ignored', async () => {
    const df = ts.readJson(path, { sampleLines: 2, schema: { i: 'float64', 'n.a': 'int32', extra: 'utf8', late: 'int64' } });
    const schema = await df.schema();
    expect(schema).toEqual({ i: 'float64', f: 'float64', b: 'bool', s: 'utf8', 'n.a': 'int32', 'n.b.c': 'utf8', arr: 'utf8', nul: 'utf8', mix: 'utf8', whole: 'float64', big: 'float64', obj: 'utf8', extra: 'utf8', late: 'int64' });
    const rows = await rowsOf(df.select('i', 'n.a', 'extra', 'late'));
    expect(rows).toEqual([
      { i: 1, 'n.a': 1, extra: null, late: null },
      { i: -2, 'n.a': null, extra: null, late: null },
      { i: null, 'n.a': 3, extra: null, late: 1 },
    ]);
    const sampled = await ts.readJson(path, { sampleLines: 2 }).schema();
    expect('late' in sampled).toBe(false);
    expect(sampled.mix).toBe('utf8');
  });

  it('dotted keys and nested objects name the same column', async () => {
    const p = file('dotted.jsonl', '{"a": {"b": 1}}\n{"a.b": 2}\n{"a": {"c": true}}\n');
    expect(await rowsOf(ts.readJson(p))).toEqual([{ 'a.b': 1, 'a.c': null }, { 'a.b': 2, 'a.c': null }, { 'a.b': null, 'a.c': true }]);
  });

  it('date and timestamp overrides parse ISO strings', async () => {
    const p = file('dates.jsonl', '{"d": "2024-02-29", "t": "2024-02-29T12:00:00Z"}\n{"d": null, "t": 1000000}\n');
    const rows = await rowsOf(ts.readJson(p, { schema: { d: 'date', t: 'timestamp' } }));
    const ms = (v: unknown) => new Date(v as number | Date).getTime();
    expect(ms(rows[0].t)).toBe(Date.parse('2024-02-29T12:00:00Z'));
    expect(ms(rows[1].t)).toBe(1000);
    expect(rows[1].d).toBeNull();
    expect(rows[0].d).not.toBeNull();
  });
});

describe('partitions', () => {
  const rs = records(1500);
  const path = file('records.jsonl', jsonl(rs, '\r\n'));

  it('1 KiB blocks give the same table as the default, and as the data', async () => {
    const info = await jsonReader.describe({ format: 'json', paths: [path], options: { blocksize: 1024 } } as SourceSpec);
    expect(info.partitions.length).toBeGreaterThan(50);
    const small = await rowsOf(ts.readJson(path, { blocksize: '1KiB' }));
    const big = await rowsOf(ts.readJson(path));
    expect(small).toEqual(big);
    expect(big.length).toBe(rs.length);
    const flat = rs.map((r) => ({ id: r.id, x: r.x ?? null, name: r.name ?? null, 's.a': (r.s as { a: number }).a, 's.b': (r.s as { b: string | null }).b }));
    expect(big).toEqual(flat);
    const threads = await rowsOf(ts.readJson(path, { blocksize: '4KiB' }), { scheduler: 'threads', workers: 2 });
    expect(threads).toEqual(big);
  });

  it('gzip and zstd files read the same', async () => {
    const text = readFileSync(path);
    const gz = file('records.jsonl.gz', gzipSync(text));
    const zst = file('records.jsonl.zst', await zstdCompress(text));
    const want = await rowsOf(ts.readJson(path).select('id', 's.b'));
    for (const p of [gz, zst]) expect(await rowsOf(ts.readJson(p, { blocksize: '1KiB' }).select('id', 's.b'))).toEqual(want);
  });

  it('matches DuckDB read_json_auto, nested struct fields against s.a / s.b', async () => {
    const p = file('duck.jsonl', jsonl(records(2000, 7)));
    const sq = `'${p.replaceAll("'", "''")}'`;
    const expected = await duck(`SELECT id, x, name, s.a AS "s.a", s.b AS "s.b" FROM read_json_auto(${sq}) ORDER BY id`);
    const got = await rowsOf(ts.readJson(p, { blocksize: '16KiB' }).select('id', 'x', 'name', 's.a', 's.b').sort('id'));
    expect(got).toEqual(expected);
    const [agg] = await duck(`SELECT count(*) AS n, sum(x) AS sx, count(name) AS names, sum(s.a) AS sa FROM read_json_auto(${sq})`);
    const [mine] = await rowsOf(ts.readJson(p, { blocksize: '2KiB' })
      .select(ts.count().alias('n'), ts.col('x').sum().alias('sx'), ts.col('name').count().alias('names'), ts.col('s.a').sum().alias('sa')));
    expect(mine.n).toBe(agg.n);
    expect(mine.names).toBe(agg.names);
    expect(mine.sa).toBe(agg.sa);
    expect(mine.sx as number).toBeCloseTo(agg.sx as number, 6);
  });
});

describe('errors', () => {
  const good = (i: number) => JSON.stringify({ id: i, v: i * 2, tag: `t${i}` });

  it('a malformed line is a ParseError naming file, line, byte offset and a snippet', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => good(i));
    lines[2499] = '{"id": 2499, "v": 4998, "tag": "broken" oops}';
    const text = lines.join('\n') + '\n';
    const p = file('malformed.jsonl', text);
    const offset = Buffer.byteLength(lines.slice(0, 2499).join('\n') + '\n');
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const e = await failure(ts.readJson(p, { blocksize: '1KiB' }).collect(opts));
      expect(e.file).toBe(p);
      expect(e.line).toBe(2500);
      expect(e.offset).toBe(offset);
      expect(e.message).toContain(`line 2500 of ${p}`);
      expect(e.message).toContain('"tag": "broken" oops');
    }
    const inSample = await failure(ts.readJson(file('bad-first.jsonl', `${good(0)}\n{"id": 1,,}\n`)).schema());
    expect(inSample.line).toBe(2);
    expect(inSample.message).toContain('{"id": 1,,}');
  });

  it('a value that does not fit its column is a ParseError naming column, value and type', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => good(i));
    lines[40] = '{"id": 40, "v": "eighty", "tag": "t40"}';
    const p = file('mismatch.jsonl', lines.join('\n'));
    const e = await failure(ts.readJson(p, { sampleLines: 10 }).collect(sync));
    expect(e.column).toBe('v');
    expect(e.line).toBe(41);
    expect(e.message).toContain('"eighty"');
    expect(e.message).toContain('int64');
    expect(e.message).toContain('schema');
    const frac = file('fraction.jsonl', `${good(0)}\n{"id": 1.5}\n`);
    const f = await failure(ts.readJson(frac, { sampleLines: 1 }).collect(sync));
    expect(f.column).toBe('id');
    expect(f.message).toContain('1.5');
    expect(f.message).toContain("'float64'");
  });

  it('a line that is not an object is a ParseError', async () => {
    const p = file('array-line.jsonl', `${good(0)}\n${good(1)}\n[1, 2, 3]\n`);
    const e = await failure(ts.readJson(p, { sampleLines: 1 }).collect(sync));
    expect(e.line).toBe(3);
    expect(e.message).toContain('not a JSON object');
    expect(e.message).toContain('[1, 2, 3]');
  });
});
