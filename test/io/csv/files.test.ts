/** resolvePaths / fileSize: glob expansion, ordering and the IOErrors users see. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOError } from '../../../core/errors.js';
import { fileSize, resolvePaths } from '../../../io/files.js';
import { tempDir, thrown } from './helpers.js';

const t = tempDir();
const d = t.dir;

beforeAll(() => {
  for (const p of ['a/x1.csv', 'a/x2.csv', 'a/x10.csv', 'a/y.txt', 'a/.hidden.csv', 'a/b/x3.csv', 'a/b/c/x4.csv', 'q/ab.csv', 'q/abc.csv']) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), p);
  }
});
afterAll(() => t.cleanup());

describe('resolvePaths', () => {
  it('keeps plain paths as given and in order, dropping repeats', async () => {
    const a = join(d, 'a/x2.csv'), b = join(d, 'a/x1.csv');
    expect(await resolvePaths([a, b, a])).toEqual([a, b]);
  });

  it('expands * and ? within a segment, sorted, skipping hidden files', async () => {
    expect(await resolvePaths([join(d, 'a/*.csv')])).toEqual(['x1.csv', 'x10.csv', 'x2.csv'].map((n) => join(d, 'a', n)));
    expect(await resolvePaths([join(d, 'q/a?.csv')])).toEqual([join(d, 'q/ab.csv')]);
    expect(await resolvePaths([join(d, 'a/.h*')])).toEqual([join(d, 'a/.hidden.csv')]);
  });

  it('expands ** across directories, including none', async () => {
    expect(await resolvePaths([join(d, 'a/**/*.csv')])).toEqual(
      ['a/b/c/x4.csv', 'a/b/x3.csv', 'a/x1.csv', 'a/x10.csv', 'a/x2.csv'].map((n) => join(d, n)));
    expect((await resolvePaths([join(d, '**')])).length).toBe(8);
    expect(await resolvePaths([join(d, '*/b/*.csv')])).toEqual([join(d, 'a/b/x3.csv')]);
  });

  it('relative globs stay relative', async () => {
    const cwd = process.cwd();
    process.chdir(d);
    try {
      expect(await resolvePaths(['q/*.csv'])).toEqual(['q/ab.csv', 'q/abc.csv']);
      expect(await resolvePaths(['*/ab.csv'])).toEqual(['q/ab.csv']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('missing file, directory and empty glob are IOErrors naming the path', async () => {
    const missing = await thrown(resolvePaths([join(d, 'nope.csv')]));
    expect(missing).toBeInstanceOf(IOError);
    expect(missing.code).toBe('IO_ERROR');
    expect(missing.message).toMatch(/no such file/);
    expect(missing.message).toContain('nope.csv');
    expect(missing.path).toBe(join(d, 'nope.csv'));
    const dir = await thrown(resolvePaths([join(d, 'a')]));
    expect(dir).toBeInstanceOf(IOError);
    expect(dir.message).toMatch(/is a directory/);
    const none = await thrown(resolvePaths([join(d, 'a/*.parquet')]));
    expect(none).toBeInstanceOf(IOError);
    expect(none.message).toContain('*.parquet');
  });

  it('fileSize', async () => {
    expect(await fileSize(join(d, 'q/abc.csv'))).toBe('q/abc.csv'.length);
    expect(await thrown(fileSize(join(d, 'zz')))).toBeInstanceOf(IOError);
  });
});
