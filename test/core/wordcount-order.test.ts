/**
 * Word counts kept in the worker threads across partitions (planner/scheduler/resident.ts):
 * the groups still come in order of first appearance, as the general split/explode plan
 * gives them, whatever the scheduler, block size or memory limit (at the smallest limit a
 * thread's table goes back as soon as it grows), and a failed run leaves nothing behind.
 */
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { toRows } from '../../core/rows.js';
import { brownFiles } from '../../datasets/brown.js';
import { heldStages } from '../../planner/scheduler/resident.js';

let dir: string;
let text: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-wco-'));
  text = join(dir, 'brown.txt');
  // ~4.6k distinct words: at the smallest memory limit a thread's table outgrows its share
  writeFileSync(text, Buffer.concat(brownFiles().slice(0, 12).map((f) => readFileSync(f))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words = (blocksize: string, path = text) => ts.readText(path, { blocksize }).select(ts.col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'));
const counted = (blocksize: string) => words(blocksize).filter(ts.col('word').ne('')).groupBy('word').agg({ n: ts.count() });

/** Words and counts in the order of a plain reading of the file. */
function reference(): [string, number][] {
  const seen = new Map<string, number>();
  for (const line of readFileSync(text, 'utf8').split('\n')) {
    for (const w of line.toLowerCase().split(/[^\p{L}]+/u)) if (w !== '') seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  return [...seen];
}

describe('word count group order', () => {
  it('is first appearance for threads and sync, 1 KiB to 16 MiB blocks, and at the smallest memory limit', async () => {
    const ref = reference();
    expect(ref.length).toBeGreaterThan(4000);
    const general = toRows(await counted('16MiB').collect({ scheduler: 'sync', rules: { wordCountFusion: false } })).map((r) => [r.word, r.n]);
    expect(general).toEqual(ref);
    for (const [blocksize, scheduler, memoryLimit] of [['1KiB', 'threads', undefined], ['4KiB', 'threads', '4MiB'], ['16MiB', 'sync', undefined], ['1KiB', 'sync', '4MiB']] as const) {
      const got = toRows(await counted(blocksize).collect({ scheduler, workers: 2, ...(memoryLimit ? { memoryLimit } : {}) })).map((r) => [r.word, r.n]);
      expect(got, `${blocksize} ${scheduler} ${memoryLimit ?? ''}`).toEqual(ref);
    }
  });

  it('holds for word counts running at once on one pool', async () => {
    const ref = reference();
    const runs = await Promise.all([counted('1KiB'), counted('2KiB'), counted('1KiB')].map((q) => q.collect({ scheduler: 'threads', workers: 2 })));
    for (const t of runs) expect(toRows(t).map((r) => [r.word, r.n])).toEqual(ref);
  });

  it("places '' where it first appears when empty pieces are kept", async () => {
    // a first line without separators at either end: '' first appears after some words
    const led = join(dir, 'led.txt');
    writeFileSync(led, Buffer.concat([Buffer.from('Alpha beta\n'), readFileSync(text)]));
    const q = (bs: string) => words(bs, led).valueCounts('word', { sort: false });
    const general = toRows(await q('16MiB').collect({ scheduler: 'sync', rules: { wordCountFusion: false } }));
    expect(general.findIndex((r) => r.word === '')).toBeGreaterThan(0);
    for (const scheduler of ['threads', 'sync'] as const) {
      expect(toRows(await q('2KiB').collect({ scheduler, workers: 2 }))).toEqual(general);
    }
  });

  it('a run that fails drops the counts a thread kept', async () => {
    const bad = join(dir, 'z-long.txt');
    writeFileSync(bad, 'x'.repeat(5000) + '\n');
    const q = ts.readText([text, bad], { blocksize: '1KiB', maxLineBytes: 4096 }).select(ts.col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'))
      .filter(ts.col('word').ne('')).groupBy('word').agg({ n: ts.count() });
    const before = heldStages();
    await expect(q.collect({ scheduler: 'sync' })).rejects.toMatchObject({ code: 'RESOURCE_ERROR' });
    expect(heldStages()).toBe(before);
    // the pool answers the next word count in full
    await expect(q.collect({ scheduler: 'threads', workers: 2 })).rejects.toMatchObject({ code: 'RESOURCE_ERROR' });
    const ok = toRows(await counted('1KiB').collect({ scheduler: 'threads', workers: 2 })).map((r) => [r.word, r.n]);
    expect(ok).toEqual(reference());
  });
});
