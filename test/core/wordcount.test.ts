/**
 * Word count end to end: the fused byte-level plan against DuckDB's
 * `regexp_split_to_array(lower(line), '[^\p{L}]+')`, against the general split/explode path,
 * across block sizes and schedulers.
 */
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import type { Table } from 'apache-arrow';
import { toRows } from '../../core/rows.js';
import { brownFiles } from '../../datasets/brown.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { duck } from '../util/duck.js';

let dir: string;
let ascii: string;
let unicode: string;

/** A seeded text mixing scripts, digits, punctuation, emoji, CRLF and empty lines. */
function unicodeCorpus(lines: number): string {
  const words = ['Été', 'garçon', 'Straße', 'Ärger', 'über', 'naïve', 'Ñandú', 'Москва', 'привет', 'ΑΘΗΝΑ', 'λόγος', '東京', '日本語',
    '中文', 'كتاب', 'שלום', 'हिन्दी', 'café', 'CAFÉ', 'word', 'Word', 'WORD', 'x', 'İstanbul', 'ǅemal', 'ﬁne'];
  const seps = [' ', '  ', ', ', '. ', '!', '?', '-', '42', ' 😀 ', '🎉', '\t', ' — ', '«', '»', '_', '3.14', "'"];
  const rng = new Xoshiro128(7);
  const pick = <T>(a: T[]): T => a[rng.nextU32() % a.length];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = rng.nextU32() % 12;
    let line = rng.nextU32() % 4 === 0 ? pick(seps) : '';
    for (let k = 0; k < n; k++) line += pick(words) + pick(seps);
    out.push(line + (i % 7 === 0 ? '\r' : ''));
  }
  return out.join('\n') + '\n';
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-wc-'));
  ascii = join(dir, 'brown.txt');
  writeFileSync(ascii, Buffer.concat(brownFiles().slice(0, 40).map((f) => readFileSync(f))));
  unicode = join(dir, 'unicode.txt');
  writeFileSync(unicode, unicodeCorpus(4000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function duckCounts(path: string): Promise<Map<string, number>> {
  const lines = `(SELECT unnest(string_split(content, chr(10))) AS line FROM read_text(${sq(path)}))`;
  const rows = await duck(`SELECT word, count(*) AS n FROM (SELECT unnest(regexp_split_to_array(lower(line), '[^\\p{L}]+')) AS word FROM ${lines}) WHERE word <> '' GROUP BY word`);
  return new Map(rows.map((r) => [r.word as string, r.n as number]));
}

const wordsOf = (path: string, blocksize?: string) => ts.readText(path, blocksize ? { blocksize } : {})
  .select(ts.col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'));

const counted = (path: string, blocksize?: string) => wordsOf(path, blocksize).filter(ts.col('word').ne('')).groupBy('word').agg({ n: ts.count() });

async function asMap(t: Promise<Table>): Promise<Map<string, number>> {
  return new Map(toRows(await t).map((r) => [r.word as string, r.n as number]));
}

describe('word count', () => {
  for (const corpus of ['ascii', 'unicode'] as const) {
    it(`equals DuckDB on the ${corpus} corpus, for 1 KiB and 16 MiB blocks, sync and threads, and at the smallest memory limit`, async () => {
      const path = corpus === 'ascii' ? ascii : unicode;
      const ref = await duckCounts(path);
      expect(ref.size).toBeGreaterThan(20);
      for (const [blocksize, scheduler, memoryLimit] of [['1KiB', 'threads', undefined], ['16MiB', 'sync', undefined], ['1KiB', 'sync', undefined], ['1KiB', 'threads', '4MiB']] as const) {
        expect(await asMap(counted(path, blocksize).collect({ scheduler, workers: 2, ...(memoryLimit ? { memoryLimit } : {}) }))).toEqual(ref);
      }
    });

    it(`the fused kernel and the general split/explode path agree (${corpus})`, async () => {
      const path = corpus === 'ascii' ? ascii : unicode;
      const q = counted(path, '4KiB');
      const fused = await asMap(q.collect({ scheduler: 'threads', workers: 2 }));
      const general = await asMap(q.collect({ scheduler: 'sync', rules: { wordCountFusion: false } }));
      expect(fused).toEqual(general);
    });
  }

  it('explain shows the fused kernel; switching the rule off shows the general plan', () => {
    const q = counted(ascii).sort('n', { descending: true }).head(10);
    const plan = q.explain();
    expect(plan).toContain('WordCount [word, n]');
    expect(plan).toContain('fused word count kernel');
    expect(plan).not.toContain('Explode');
    const general = q.explain({ rules: { wordCountFusion: false } });
    expect(general).toContain('Explode');
    expect(general).not.toContain('WordCount');
  });

  it('valueCounts fuses too, with and without dropping empty pieces', async () => {
    const vc = wordsOf(unicode, '2KiB').filter(ts.col('word').ne('')).valueCounts('word');
    expect(vc.explain()).toContain('WordCount');
    const top = toRows(await vc.head(15).collect({ scheduler: 'threads', workers: 2 }));
    const ref = [...(await duckCounts(unicode))].sort((a, b) => b[1] - a[1] || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]))).slice(0, 15);
    expect(top.map((r) => [r.word, r.count])).toEqual(ref);

    const withEmpty = wordsOf(unicode, '2KiB').valueCounts('word', { sort: false });
    expect(withEmpty.explain()).toContain('WordCount');
    const fused = new Map(toRows(await withEmpty.collect({ scheduler: 'threads', workers: 2 })).map((r) => [r.word, r.count]));
    const general = new Map(toRows(await withEmpty.collect({ scheduler: 'sync', rules: { wordCountFusion: false } })).map((r) => [r.word, r.count]));
    expect(fused.get('')).toBeGreaterThan(0);
    expect(fused).toEqual(general);
  });

  it('one compute answers the top words and the totals from one read of the text', async () => {
    const words = counted(ascii, '64KiB');
    const res = await ts.compute(words.sort(['n', 'word'], { descending: [true, false] }).head(5),
      words.select(ts.col('n').sum().alias('total'), ts.count().alias('distinct')), { scheduler: 'threads', workers: 2, metrics: true });
    const [top, totals] = res;
    const ref = await duckCounts(ascii);
    const sorted = [...ref].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(toRows(top).map((r) => [r.word, r.n])).toEqual(sorted.slice(0, 5));
    expect(toRows(totals)).toEqual([{ total: [...ref.values()].reduce((a, b) => a + b, 0), distinct: ref.size }]);
    const m = res.metrics!;
    expect(m.partitions).toBe(Object.values(m.partitionsRead).reduce((a, b) => a + b, 0));
    expect(Object.values(m.partitionsRead)).toHaveLength(1);
  });

  it('invalid UTF-8 splits words like U+FFFD, is counted in the metrics, and never crashes', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('caf\u00e9 ab'), Buffer.from([0xff, 0xc3]), Buffer.from('cd ok\n'), Buffer.from([0xe2, 0x82]), Buffer.from('Zz\nno newline at end')]));
    const q = counted(bad);
    const fused = await ts.compute(q, { scheduler: 'threads', workers: 2, metrics: true });
    const general = await ts.compute(q, { scheduler: 'sync', rules: { wordCountFusion: false }, metrics: true });
    const expected = new Map([['café', 1], ['ab', 1], ['cd', 1], ['ok', 1], ['zz', 1], ['no', 1], ['newline', 1], ['at', 1], ['end', 1]]);
    expect(await asMap(Promise.resolve(fused[0]))).toEqual(expected);
    expect(await asMap(Promise.resolve(general[0]))).toEqual(expected);
    expect(fused.metrics!.invalidUtf8).toBe(3);
    expect(general.metrics!.invalidUtf8).toBe(3);
  });
});
