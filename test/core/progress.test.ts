/** The progress line: partitions done of the total, rows and bytes read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as ts from '../../core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function progressLines(run: () => Promise<unknown>): Promise<string[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return written.join('').split(/[\r\n]/).map((l) => l.replace(/\x1b\[K/g, '')).filter((l) => l.includes('partitions'));
}

describe('progress', () => {
  it('reports every partition, the rows of a CSV and the bytes of a fused word count', async () => {
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'k,v\n' + Array.from({ length: 3000 }, (_, i) => `k${i % 7},${i}`).join('\n') + '\n');
    const lines = await progressLines(() => ts.readCsv(csv, { blocksize: '8KiB' }).groupBy('k').agg({ s: ts.col('v').sum() }).collect({ scheduler: 'sync', progress: true }));
    const last = lines[lines.length - 1];
    const [, done, total] = /(\d+)\/(\d+) partitions/.exec(last)!;
    expect(Number(total)).toBeGreaterThan(1);
    expect(done).toBe(total);
    expect(last).toMatch(/ 3k rows, /);

    const txt = join(dir, 'a.txt');
    writeFileSync(txt, 'The cat and the hat\n'.repeat(2000));
    const { col, count } = ts;
    const q = ts.readText(txt, { blocksize: '4KiB' }).select(col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('w'))
      .filter(col('w').ne('')).groupBy('w').agg({ n: count() });
    expect(q.explain()).toMatch(/fused/);
    const words = await progressLines(() => q.collect({ scheduler: 'sync', progress: true }));
    const end = words[words.length - 1];
    const [, d, t] = /(\d+)\/(\d+) partitions/.exec(end)!;
    expect(d).toBe(t);
    // the fused kernel counts no rows; the bytes it read are shown instead (40000 bytes)
    expect(end).toMatch(/ partitions, 39 KiB, /);
  });
});
