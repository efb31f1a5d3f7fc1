/**
 * The text source: lines against a plain-JS reference across block sizes (down to one byte
 * per partition), compression, globs, invalid UTF-8, the line-length limit and schedulers.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { Xoshiro128 } from '../../datasets/prng.js';
import { zstdCompress } from '../../io/compress.js';
import type { ReadStats, SourceSpec } from '../../io/source.js';
import { readTextBlock, readTextLines, repairUtf8, textReader } from '../../io/text/index.js';
import { stringAt } from '../../ops/column/build.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** What a user would write without Tessera. */
function reference(path: string): string[] {
  const lines = readFileSync(path).toString().split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const spec = (paths: string | string[], options: Record<string, unknown> = {}): SourceSpec =>
  ({ format: 'text', paths: Array.isArray(paths) ? paths : [paths], options });

/** Every partition read with the reader itself, in order. */
async function readerLines(paths: string | string[], options: Record<string, unknown> = {}, stats?: ReadStats): Promise<{ lines: string[]; partitions: number }> {
  const s = spec(paths, options);
  const info = await textReader.describe(s);
  const lines: string[] = [];
  for (const p of info.partitions) {
    const b = await textReader.read(s, p, ['line'], info.schema, { stats });
    for (let i = 0; i < b.length; i++) lines.push(stringAt(b.columns.line, i));
  }
  return { lines, partitions: info.partitions.length };
}

const collectLines = async (df: ts.LazyFrame, opts: ts.RunOptions = { scheduler: 'sync' }): Promise<string[]> =>
  (await df.collect(opts)).getChild('line')!.toArray() as string[];

/** Seeded lines mixing ASCII, accents, CJK, emoji, empty lines and CRLF endings. */
function corpus(lines: number, seed = 1): string {
  const words = ['alpha', 'Été', 'garçon', 'naïve', '東京', '日本語', '中文', '😀', '🎉', 'x', 'Москва', 'λόγος', 'שלום', ''];
  const rng = new Xoshiro128(seed);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = rng.nextU32() % 9;
    const ws: string[] = [];
    for (let k = 0; k < n; k++) ws.push(words[rng.nextU32() % words.length]);
    out.push(ws.join(' ') + (rng.nextU32() % 5 === 0 ? '\r' : ''));
  }
  return out.join('\n');
}

describe('lines', () => {
  const text = corpus(6000);
  const path = file('corpus.txt', text);

  it('equal the reference for 1 KiB and 16 MiB blocks, with boundaries inside characters', async () => {
    const expected = reference(path);
    const small = await readerLines(path, { blocksize: 1024 });
    const big = await readerLines(path, { blocksize: 16 << 20 });
    expect(big.partitions).toBe(1);
    expect(small.partitions).toBeGreaterThan(100);
    expect(small.lines).toEqual(expected);
    expect(big.lines).toEqual(expected);
    // the nominal cuts do fall inside multi-byte characters
    const bytes = readFileSync(path);
    let inside = 0;
    for (let at = 1024; at < bytes.length; at += 1024) if ((bytes[at] & 0xc0) === 0x80) inside++;
    expect(inside).toBeGreaterThan(10);
    expect(await collectLines(ts.readText(path, { blocksize: '1KiB' }))).toEqual(expected);
  });

  it('handle CRLF, empty lines and a missing final newline at every block size', async () => {
    const cases = ['', '\n', '\n\n', 'a', 'a\n', 'a\r\n', '\r\n\r\n', 'a\rb\n', 'x\r', 'é\n\n😀', 'one\r\ntwo\n\nthree\r\n', '日本\r\n語'];
    for (const [i, c] of cases.entries()) {
      const p = file(`edge${i}.txt`, c);
      const expected = reference(p);
      for (const blocksize of [1, 2, 3, 5, 1024]) {
        expect((await readerLines(p, { blocksize })).lines, `${JSON.stringify(c)} blocksize ${blocksize}`).toEqual(expected);
      }
    }
  });

  it('an empty file gives zero rows', async () => {
    const p = file('empty.txt', '');
    const t = await ts.readText(p).collect({ scheduler: 'sync' });
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['line']);
    expect(await ts.readText(p).schema()).toEqual({ line: 'utf8' });
  });

  it('a UTF-8 byte order mark at the start of a file is dropped', async () => {
    const p = file('bom.txt', '\uFEFFfirst\nsecond\n');
    expect((await readerLines(p, { blocksize: 2 })).lines).toEqual(['first', 'second']);
  });

  it('globs and path lists keep file order', async () => {
    mkdirSync(join(dir, 'many'));
    const parts = [corpus(300, 2), corpus(1, 3), '', corpus(500, 4)];
    parts.forEach((c, i) => writeFileSync(join(dir, 'many', `part-${i}.txt`), c));
    const all = parts.flatMap((_, i) => reference(join(dir, 'many', `part-${i}.txt`)));
    expect((await readerLines(join(dir, 'many', 'part-*.txt'), { blocksize: 700 })).lines).toEqual(all);
    const reversed = [3, 0].map((i) => join(dir, 'many', `part-${i}.txt`));
    expect(await collectLines(ts.readText(reversed, { blocksize: 512 }))).toEqual(reversed.flatMap(reference));
  });

  it('gzip and zstd files are one partition each and decode to the same lines', async () => {
    const gz = file('corpus.txt.gz', gzipSync(text));
    const zst = file('corpus.txt.zst', await zstdCompress(Buffer.from(text)));
    const expected = reference(path);
    for (const p of [gz, zst]) {
      const r = await readerLines(p, { blocksize: 1024 });
      expect(r.partitions).toBe(1);
      expect(r.lines).toEqual(expected);
    }
    const both = await collectLines(ts.readText([gz, zst], { blocksize: '1KiB' }));
    expect(both).toEqual([...expected, ...expected]);
    const explicit = file('gz-without-extension', gzipSync('a\nb\n'));
    expect(await collectLines(ts.readText(explicit, { compression: 'gzip' }))).toEqual(['a', 'b']);
  });
});

describe('invalid UTF-8', () => {
  const chunks = [Buffer.from('ok\n'), Buffer.from('bad \xff here\n', 'latin1'), Buffer.from([0x74, 0xe2, 0x82, 0x0a]),
    Buffer.from([0x73, 0xed, 0xa0, 0x80, 0x0d, 0x0a]), Buffer.from([0xc0, 0xaf, 0x65, 0x0a]), Buffer.from('fin é\n')];
  const raw = Buffer.concat(chunks);
  const path = file('invalid.txt', raw);
  const decoded = new TextDecoder().decode(raw);
  const expected = decoded.split(/\r?\n/).slice(0, -1);
  const replaced = [...decoded].filter((c) => c === '\uFFFD').length;

  it('is replaced by U+FFFD like TextDecoder, and counted', async () => {
    expect(replaced).toBe(7);
    for (const blocksize of [1, 4, 1024]) {
      const stats: ReadStats = { invalidUtf8: 0 };
      expect((await readerLines(path, { blocksize }, stats)).lines).toEqual(expected);
      expect(stats.invalidUtf8).toBe(replaced);
    }
    expect(await collectLines(ts.readText(path))).toEqual(expected);
  });

  it('repair gives exactly the bytes of TextDecoder\'s decoding, for random bytes', () => {
    const rng = new Xoshiro128(11);
    const pool = [0x41, 0x0a, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff];
    for (let k = 0; k < 300; k++) {
      const raw = Uint8Array.from({ length: rng.nextU32() % 40 }, () => (rng.nextU32() % 3 ? pool[rng.nextU32() % pool.length] : rng.nextU32() & 0xff));
      const { bytes } = repairUtf8(raw);
      expect(Buffer.from(bytes).equals(Buffer.from(new TextEncoder().encode(new TextDecoder().decode(raw))))).toBe(true);
    }
  });

  it('readTextLines reports the count in its stats; readTextBlock leaves the bytes as they are', async () => {
    const s = spec(path);
    const info = await textReader.describe(s);
    const stats: ReadStats = { invalidUtf8: 0 };
    expect(await readTextLines(s, info.partitions[0], stats)).toEqual(expected);
    expect(stats.invalidUtf8).toBe(7);
    const blockStats: ReadStats = { invalidUtf8: 0 };
    expect(Buffer.from(await readTextBlock(s, info.partitions[0], blockStats)).equals(raw)).toBe(true);
    expect(blockStats.invalidUtf8).toBe(7);
  });
});

describe('partition blocks', () => {
  it('readTextBlock returns exactly the whole lines each partition owns', async () => {
    const text = corpus(800, 9);
    const p = file('blocks.txt', text);
    const s = spec(p, { blocksize: 333 });
    const info = await textReader.describe(s);
    const blocks = await Promise.all(info.partitions.map((part) => readTextBlock(s, part)));
    expect(Buffer.concat(blocks).equals(readFileSync(p))).toBe(true);
    for (const b of blocks) if (b.length) expect(b[b.length - 1] === 10 || b === blocks[blocks.length - 1]).toBe(true);
  });
});

describe('errors', () => {
  it('a line over maxLineBytes is a ResourceError naming file, offset, limit and option', async () => {
    const p = file('long.txt', `short\n${'y'.repeat(5000)}\nshort again\n`);
    for (const blocksize of ['1KiB', '16MiB']) {
      const e = await ts.readText(p, { blocksize, maxLineBytes: 1000 }).collect({ scheduler: 'sync' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ts.ResourceError);
      const msg = (e as Error).message;
      expect(msg).toContain(p);
      expect(msg).toContain('byte offset 6');
      expect(msg).toContain('maxLineBytes');
      expect(msg).toContain('1000 bytes');
    }
    expect(await collectLines(ts.readText(p, { blocksize: '1KiB', maxLineBytes: 5000 }))).toEqual(reference(p));
  });

  it('a missing file or a directory is an IOError naming the path', async () => {
    const missing = join(dir, 'nope.txt');
    const e = await ts.readText(missing).collect({ scheduler: 'sync' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ts.IOError);
    expect((e as ts.IOError).path).toBe(missing);
    const d = await ts.readText(dir).collect({ scheduler: 'sync' }).catch((x: unknown) => x);
    expect(d).toBeInstanceOf(ts.IOError);
    expect((d as Error).message).toContain('directory');
  });
});

describe('queries', () => {
  const path = file('query.txt', corpus(5000, 5));
  const expected = reference(path);

  it('sync and threads give the same table', async () => {
    const df = ts.readText(path, { blocksize: '4KiB' });
    const sync = await collectLines(df, { scheduler: 'sync' });
    const threads = await collectLines(df, { scheduler: 'threads', workers: 2 });
    expect(sync).toEqual(expected);
    expect(threads).toEqual(sync);
  });

  it('filter and select over line, and a row count', async () => {
    const codePoints = (s: string) => [...s].length;
    const df = ts.readText(path, { blocksize: '2KiB' })
      .filter(ts.col('line').str.len().gt(20))
      .select(ts.col('line'), ts.col('line').str.len().alias('n'));
    const rows = ts.toRows(await df.collect({ scheduler: 'sync' }));
    const want = expected.filter((l) => codePoints(l) > 20).map((l) => ({ line: l, n: codePoints(l) }));
    expect(rows).toEqual(want);
    const [count] = ts.toRows(await ts.readText(path, { blocksize: '2KiB' }).select(ts.count().alias('n')).collect({ scheduler: 'sync' }));
    expect(count.n).toBe(expected.length);
    const empties = ts.toRows(await ts.readText(path).filter(ts.col('line').eq('')).select(ts.count().alias('n')).collect({ scheduler: 'sync' }));
    expect(empties[0].n).toBe(expected.filter((l) => l === '').length);
  });
});
