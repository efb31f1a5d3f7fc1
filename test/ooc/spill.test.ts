/** Spill files: round trips, cleanup, typed errors for a bad location or a full disk. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IOError, ResourceError } from '../../core/errors.js';
import type { Batch } from '../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../ops/column/build.js';
import { plainBatch } from '../../ops/column/dict.js';
import { concatBatches } from '../../ops/column/take.js';
import { liveSpillDirs, SpillDir, type SpillWrite } from '../../io/spill/index.js';
import { dictEncode, toRows } from '../ops/aggregate/gen.js';

const base = mkdtempSync(join(os.tmpdir(), 'tessera-ooc-spill-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A batch of every dtype with nulls; `seed` varies the values. */
function sample(n: number, seed = 1): Batch {
  const r = (i: number) => ((i * 2654435761 + seed * 97) >>> 0) % 1000;
  const nul = (i: number) => r(i) % 11 === 0;
  const ints = Array.from({ length: n }, (_, i) => (nul(i) ? null : r(i) - 500));
  const strs = Array.from({ length: n }, (_, i) => (nul(i + 1) ? null : `s${r(i) % 37}-é${'x'.repeat(r(i) % 9)}`));
  return {
    length: n,
    columns: {
      i32: numericFromValues('int32', ints),
      i64: numericFromValues('int64', ints.map((x) => (x === null ? null : x * 1e9))),
      f64: numericFromValues('float64', ints.map((x) => (x === null ? null : x / 8))),
      u8: numericFromValues('uint8', ints.map((x) => (x === null ? null : Math.abs(x) % 256))),
      b: numericFromValues('bool', ints.map((x) => (x === null ? null : x % 2 === 0))),
      d: numericFromValues('date', ints.map((x) => (x === null ? null : x * 3))),
      ts: numericFromValues('timestamp', ints.map((x) => (x === null ? null : x * 1e6 + 7))),
      s: utf8FromStrings(strs),
      dict: dictEncode(utf8FromStrings(strs.map((x) => (x === null ? null : x.slice(0, 3))))),
    },
  };
}

const plainRows = (b: Batch) => toRows(plainBatch(b));

async function readAll(f: { read(): AsyncIterable<Batch> }): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of f.read()) out.push(b);
  return out;
}

describe('SpillFile', () => {
  for (const compression of ['zstd', 'none'] as const) {
    it(`round-trips every dtype, nulls and dictionary columns in blocks (${compression})`, async () => {
      const dir = await SpillDir.open(base, { compression, blockBytes: 64 * 1024 });
      try {
        const f = dir.file('roundtrip');
        const parts = [sample(5000, 1), sample(0, 2), sample(1, 3), sample(20000, 4)];
        for (const p of parts) await f.append(p);
        await f.finish();
        expect(f.blocks).toBeGreaterThan(4);
        expect(f.rows).toBe(25001);
        const back = await readAll(f);
        expect(back.every((b) => b.columns.dict.dictionary === undefined && b.columns.dict.type === 'utf8')).toBe(true);
        expect(plainRows(concatBatches(back))).toEqual(plainRows(concatBatches(parts.filter((p) => p.length > 0).map((p) => plainBatch(p)))));
        expect(dir.bytesWritten).toBe(f.bytes);
        expect(dir.bytesRead).toBe(f.bytes);
        if (compression === 'zstd') expect(dir.bytesWritten).toBeLessThan(dir.rawBytesWritten);
      } finally {
        await dir.cleanup();
      }
      expect(existsSync(dir.path)).toBe(false);
    });
  }

  it('serializes appends fired without awaiting, per file, and reads may repeat', async () => {
    const dir = await SpillDir.open(base, { blockBytes: 4096 });
    const files = [dir.file('a'), dir.file('b')];
    const batches = Array.from({ length: 12 }, (_, k) => sample(300 + k * 17, k));
    await Promise.all(batches.map((b, k) => files[k % 2].append(b)));
    for (let j = 0; j < 2; j++) {
      const want = plainRows(concatBatches(batches.filter((_, k) => k % 2 === j).map((b) => plainBatch(b))));
      expect(plainRows(concatBatches(await readAll(files[j])))).toEqual(want);
      expect(plainRows(concatBatches(await readAll(files[j])))).toEqual(want);
    }
    await files[0].remove();
    expect(dir.liveFiles).toBe(1);
    expect(readdirSync(dir.path)).toHaveLength(1);
    await dir.cleanup();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('rejects a batch of another schema', async () => {
    const dir = await SpillDir.open(base);
    try {
      const f = dir.file('schema');
      await f.append(sample(10));
      await expect(f.append({ length: 1, columns: { x: numericFromValues('int32', [1]) } })).rejects.toThrow(/holds/);
    } finally {
      await dir.cleanup();
    }
  });

  it('measures write and read throughput', async () => {
    const dir = await SpillDir.open(base);
    const f = dir.file('throughput');
    const batch = sample(200_000, 9);
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) await f.append(batch);
    await f.finish();
    const t1 = performance.now();
    let rows = 0;
    for await (const b of f.read()) rows += b.length;
    const t2 = performance.now();
    const mb = dir.rawBytesWritten / 1e6;
    console.log(`spill: ${mb.toFixed(1)} MB raw -> ${(dir.bytesWritten / 1e6).toFixed(1)} MB on disk; write ${(mb / ((t1 - t0) / 1000)).toFixed(0)} MB/s, read ${(mb / ((t2 - t1) / 1000)).toFixed(0)} MB/s (raw IPC bytes)`);
    expect(rows).toBe(1_000_000);
    await dir.cleanup();
  });
});

describe('SpillDir errors and registry', () => {
  it('is registered while alive, with SIGINT/SIGTERM handlers only then', async () => {
    const before = process.listenerCount('SIGTERM');
    const dir = await SpillDir.open(base);
    expect(liveSpillDirs()).toContain(dir.path);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBeGreaterThan(0);
    await dir.cleanup();
    expect(liveSpillDirs()).not.toContain(dir.path);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('a missing base directory is an IOError naming the path and spillDir', async () => {
    const missing = join(base, 'nope', 'deeper');
    const e = await SpillDir.open(missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IOError);
    expect((e as IOError).path).toBe(missing);
    expect((e as Error).message).toContain(missing);
    expect((e as Error).message).toContain('spillDir');
  });

  it('a base that is a file is an IOError', async () => {
    const file = join(base, 'plain-file');
    writeFileSync(file, 'x');
    const e = await SpillDir.open(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IOError);
    expect((e as Error).message).toMatch(/not a directory/);
  });

  it('a read-only base directory is an IOError (skipped where permissions do not apply, e.g. root)', async (ctx) => {
    const ro = join(base, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    try {
      let writable = false;
      try { writeFileSync(join(ro, 'probe'), 'x'); writable = true; } catch { /* expected */ }
      if (writable) { ctx.skip(); return; }
      const e = await SpillDir.open(ro).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(IOError);
      expect((e as Error).message).toContain(ro);
      expect((e as Error).message).toMatch(/not writable/);
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      chmodSync(ro, 0o700);
    }
  });

  it('a full disk is a ResourceError naming the file, and the directory is removed', async () => {
    for (const code of ['ENOSPC', 'EIO']) {
      let budget = 50_000;
      const failing: SpillWrite = async (fh, data, pos) => {
        if (data.length > budget) {
          // a partial write first, as a real disk filling up does
          if (budget > 0) { const n = budget; budget = 0; return fh.write(data, 0, n, pos); }
          throw Object.assign(new Error(`${code}: simulated`), { code });
        }
        budget -= data.length;
        return fh.write(data, 0, data.length, pos);
      };
      const dir = await SpillDir.open(base, { write: failing, blockBytes: 8192 });
      const f = dir.file('full');
      const other = dir.file('other');
      await other.append(sample(100));
      const e = await f.append(sample(50_000)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ResourceError);
      expect((e as Error).message).toMatch(/spill directory full/);
      expect((e as Error).message).toContain(dir.path);
      expect((e as { path: string }).path).toContain(dir.path);
      expect(existsSync(dir.path)).toBe(false);
      expect(liveSpillDirs()).not.toContain(dir.path);
      // later use fails with the same error rather than writing elsewhere
      await expect(other.append(sample(10))).rejects.toBe(e);
      expect(() => dir.file('again')).toThrow(ResourceError);
    }
    expect(readdirSync(base).filter((n) => n.startsWith('tessera-spill-'))).toEqual([]);
  });
});
