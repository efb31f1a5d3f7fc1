/** gzip / zstd input: detection, streaming decode of large files, and corrupt data as ParseError. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError, ParseError } from '../../../core/errors.js';
import { decompressedChunks, detectCompression, readDecompressed, zstdCompress, ZstdFrameWalker } from '../../../io/compress.js';
import { csvReader } from '../../../io/csv/index.js';
import { valueAt } from '../../../ops/column/build.js';
import { readAll, spec, tempDir, thrown } from './helpers.js';

const t = tempDir();
afterAll(() => t.cleanup());

function hasZstdCli(): boolean {
  try { execFileSync('zstd', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** A .zst file: through the zstd CLI when present (an independent encoder), else zstd-codec. */
async function writeZst(path: string, data: Uint8Array): Promise<void> {
  if (hasZstdCli()) {
    writeFileSync(`${path}.src`, data);
    execFileSync('zstd', ['-q', '-f', '-3', `${path}.src`, '-o', path]);
  } else {
    writeFileSync(path, await zstdCompress(data));
  }
}

function csvText(rows: number): string {
  const lines = ['id,name,v'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"name ${i % 97}, ""q""",${(i * 0.37).toFixed(3)}`);
  return lines.join('\n') + '\n';
}

describe('detectCompression', () => {
  it('infers from the extension unless told', () => {
    expect(detectCompression('a.csv.gz')).toBe('gzip');
    expect(detectCompression('a.CSV.ZST')).toBe('zstd');
    expect(detectCompression('a.csv')).toBe('none');
    expect(detectCompression('a.csv', 'gzip')).toBe('gzip');
    expect(detectCompression('a.gz', 'none')).toBe('none');
  });
});

describe('decompression', () => {
  it('gzip and zstd give the original bytes', async () => {
    const text = csvText(2000);
    const gz = t.file('small.csv.gz', gzipSync(text));
    const zst = t.file('small.csv.zst');
    await writeZst(zst, Buffer.from(text));
    for (const [p, c] of [[gz, 'gzip'], [zst, 'zstd']] as const) {
      expect(Buffer.from(await readDecompressed(p, c)).toString()).toBe(text);
    }
  });

  it('a zstd file over 20 MB decodes in pieces and parses', async () => {
    const text = csvText(650_000);
    expect(text.length).toBeGreaterThan(20e6);
    const zst = t.file('big.csv.zst');
    await writeZst(zst, Buffer.from(text));
    let total = 0, pieces = 0;
    for await (const c of decompressedChunks(zst, 'zstd')) { total += c.length; pieces++; }
    expect(total).toBe(text.length);
    expect(pieces).toBeGreaterThan(10);
    const sp = spec(zst);
    const info = await csvReader.describe(sp);
    expect(info.partitions.length).toBe(1);
    expect(info.schema).toEqual({ id: 'int64', name: 'utf8', v: 'float64' });
    const b = await csvReader.read(sp, info.partitions[0], ['v', 'id'], info.schema);
    expect(b.length).toBe(650_000);
    expect(Object.keys(b.columns)).toEqual(['v', 'id']);
    expect(valueAt(b.columns.id, 649_999)).toBe(649_999);
    expect(valueAt(b.columns.v, 649_999)).toBe(Number((649_999 * 0.37).toFixed(3)));
  });

  it('zstd-codec output (no content size in the header) and concatenated frames decode', async () => {
    const a = Buffer.from(csvText(10)), b = Buffer.from('10,x,1\n');
    const zst = t.file('two.csv.zst', Buffer.concat([await zstdCompress(a), await zstdCompress(b)]));
    expect(Buffer.from(await readDecompressed(zst, 'zstd')).toString()).toBe(a.toString() + b.toString());
    const { rows } = await readAll(zst, {}, ['id']);
    expect(rows.map((r) => r.id)).toEqual([...Array(11).keys()]);
  });

  it('compressed CSV reads like the plain file, header and all', async () => {
    const text = 'a;b\n1;x\n2;\n';
    const gz = t.file('semi.csv.gz', gzipSync(text));
    const { rows } = await readAll(gz, { delimiter: ';' });
    expect(rows).toEqual([{ a: 1, b: 'x' }, { a: 2, b: null }]);
    const forced = t.file('semi.bin', gzipSync(text));
    expect((await readAll(forced, { delimiter: ';', compression: 'gzip' })).rows).toEqual(rows);
  });

  it('corrupt, truncated and mislabelled files are ParseErrors naming the file', async () => {
    const text = Buffer.from(csvText(50_000));
    const gz = gzipSync(text);
    const z = await zstdCompress(text);
    const flip = (b: Uint8Array, at: number) => { const c = Buffer.from(b); c[at] ^= 0xff; c[at + 1] ^= 0x55; return c; };
    const cases: [string, Uint8Array][] = [
      ['trunc.csv.gz', gz.subarray(0, gz.length >> 1)],
      ['flip.csv.gz', flip(gz, gz.length >> 1)],
      ['notgz.csv.gz', text.subarray(0, 1000)],
      ['trunc.csv.zst', z.subarray(0, z.length - 100)],
      ['trunc2.csv.zst', z.subarray(0, 7)],
      ['flip.csv.zst', flip(z, z.length >> 1)],
      ['notzst.csv.zst', text.subarray(0, 1000)],
      ['tail.csv.zst', Buffer.concat([z, Buffer.from('garbage!')])],
      ['empty.csv.zst', new Uint8Array(0)],
    ];
    for (const [name, bytes] of cases) {
      const p = t.file(name, bytes);
      const e = await thrown(readAll(p));
      expect(e, name).toBeInstanceOf(ParseError);
      expect(e.code).toBe('PARSE_ERROR');
      expect(e.message, name).toContain(name);
      expect(e.file).toBe(p);
    }
  });

  it('a missing compressed file is an IOError', async () => {
    const e = await thrown(readDecompressed(t.file('missing.csv.zst'), 'zstd'));
    expect(e).toBeInstanceOf(IOError);
    expect(e.message).toContain('missing.csv.zst');
    const g = await thrown(readDecompressed(t.file('missing.csv.gz'), 'gzip'));
    expect(g).toBeInstanceOf(IOError);
  });

  it('the frame walker accepts whole frames fed in any pieces and spots a cut', async () => {
    const z = await zstdCompress(Buffer.from(csvText(300)));
    for (const step of [1, 3, 1000, z.length]) {
      const w = new ZstdFrameWalker();
      for (let i = 0; i < z.length; i += step) expect(w.feed(z.subarray(i, i + step))).toBeUndefined();
      expect(w.incomplete()).toBeUndefined();
    }
    const w = new ZstdFrameWalker();
    w.feed(z.subarray(0, z.length - 1));
    expect(w.incomplete()).toMatch(/inside a frame/);
  });
});
