/** bag.readText: lines of text files in blocks cut at line boundaries, read by the workers themselves. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError } from '../../core/errors.js';
import { bag, shutdownBagWorkers } from '../../core/bag/index.js';

const hasText = existsSync(new URL('../../io/text/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tessera-bag-text-'));
afterAll(async () => { rmSync(dir, { recursive: true, force: true }); await shutdownBagWorkers(); });

const SCHEDULERS = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }];

describe('bag.readText', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'w'.repeat(i % 13)} ${i % 5 === 0 ? 'ERROR' : 'ok'}`);
  const a = join(dir, 'a.txt'), b = join(dir, 'b.txt');
  writeFileSync(a, lines.slice(0, 300).join('\n') + '\n');
  writeFileSync(b, lines.slice(300).join('\n'));

  it.skipIf(!hasText)('gives every line once, in file order, whatever the block size', async () => {
    for (const o of SCHEDULERS) {
      for (const blocksize of [64, 1000, '16MiB']) {
        expect(await bag.readText([a, b], { blocksize }).compute(o)).toEqual(lines);
      }
    }
  });

  it.skipIf(!hasText)('feeds the fused steps and reductions', async () => {
    const errors = bag.readText(join(dir, '*.txt'), { blocksize: 256 }).filter((l: string) => l.endsWith('ERROR'));
    expect(await errors.count().compute({ scheduler: 'threads', workers: 2 })).toBe(100);
    const words = await bag.readText([a, b], { blocksize: 300 }).flatMap((l: string) => l.split(' ')).frequencies().topk(2, 1).compute();
    expect(words).toEqual([['line', 500], ['ok', 400]]);
  });

  it.skipIf(!hasText)('a missing file is an IOError naming it', async () => {
    await expect(bag.readText(join(dir, 'nope.txt')).compute({ scheduler: 'threads', workers: 2 })).rejects.toThrow(IOError);
  });

  it('checks its arguments when called', () => {
    expect(() => bag.readText([])).toThrow(/path/);
    expect(() => bag.readText(a, { blocksize: 'lots' })).toThrow(/blocksize/);
  });
});
