/** The external sort gives exactly what the in-memory stable sort gives, spilling under small budgets. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../core/memory/index.js';
import type { Batch, Column } from '../../core/types.js';
import { numericFromValues, utf8FromStrings, valueAt } from '../../ops/column/build.js';
import { plainBatch } from '../../ops/column/dict.js';
import { concatBatches, sliceBatch, takeBatch } from '../../ops/column/take.js';
import { externalSort } from '../../ops/kernels/sort/external-sort.js';
import { sortIndices } from '../../ops/kernels/sort/sort-indices.js';
import { emptySpillMetrics, spillDirFactory } from '../../io/spill/index.js';
import { dictEncode, rowArb, toBatch } from '../ops/aggregate/gen.js';

const base = mkdtempSync(join(os.tmpdir(), 'tessera-ooc-sort-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const leftovers = () => readdirSync(base).filter((n) => n.startsWith('tessera-spill-'));

async function* from(batches: Batch[]): AsyncGenerator<Batch> { yield* batches; }

/** Consecutive pieces of `rows` rows (takeBatch keeps dictionary columns encoded). */
function pieces(b: Batch, rows: number): Batch[] {
  const out: Batch[] = [];
  for (let s = 0; s < b.length; s += rows) {
    const idx = Int32Array.from({ length: Math.min(b.length, s + rows) - s }, (_, i) => s + i);
    out.push(takeBatch(b, idx));
  }
  return out;
}

async function collect(g: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of g) out.push(b);
  return out;
}

/** Column-wise equality of values and nulls (faster than row objects for 300k rows). */
function expectSameColumn(name: string, a: Column, b: Column): void {
  expect(a.length, name).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = valueAt(a, i), y = valueAt(b, i);
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) expect({ name, row: i, value: x }).toEqual({ name, row: i, value: y });
  }
}

function expectSameBatch(got: Batch, want: Batch): void {
  expect(Object.keys(got.columns)).toEqual(Object.keys(want.columns));
  for (const k of Object.keys(want.columns)) expectSameColumn(k, got.columns[k], want.columns[k]);
}

/** ~n rows: k1 int32 with many duplicates and nulls, k2 float64 with nulls/NaN/-0, s utf8, and the input row number. */
function data(n: number): Batch {
  let seed = 99;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const k1: (number | null)[] = [], k2: (number | null)[] = [], s: (string | null)[] = [], row: number[] = [];
  for (let i = 0; i < n; i++) {
    k1.push(rnd() < 0.03 ? null : Math.floor(rnd() * 500) - 250);
    const r = rnd();
    k2.push(r < 0.03 ? null : r < 0.04 ? NaN : r < 0.05 ? -0 : Math.floor(rnd() * 40) / 4);
    s.push(rnd() < 0.05 ? null : `s${Math.floor(rnd() * 1000)}`);
    row.push(i);
  }
  return { length: n, columns: { k1: numericFromValues('int32', k1), k2: numericFromValues('float64', k2), s: utf8FromStrings(s), row: numericFromValues('int32', row) } };
}

describe('externalSort', () => {
  const input = data(300_000);

  it('sorts 300k rows by two keys (asc, desc) with duplicates, nulls and NaN like sortIndices, spilling runs', async () => {
    const by = ['k1', 'k2'], desc = [false, true];
    const want = takeBatch(input, sortIndices(input, by, desc));
    const metrics = emptySpillMetrics();
    const memory = new MemoryLedger('16MiB').account('sort', { budget: 1024 * 1024 });
    const out = await collect(externalSort(from(pieces(input, 10_000)), { by, descending: desc, memory, spillDir: spillDirFactory(base), batchRows: 4096, metrics }));
    expect(out.slice(0, -1).every((b) => b.length === 4096)).toBe(true);
    expectSameBatch(concatBatches(out), want);
    expect(metrics.runs).toBeGreaterThan(1);
    expect(metrics.spilledBytes).toBeGreaterThan(0);
    expect(metrics.peakBytes).toBeLessThanOrEqual(1024 * 1024 + 512 * 1024);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('merges in several passes when there are more runs than blocks fit, utf8 key descending', async () => {
    const by = ['s', 'k1'], desc = [true, false];
    const sub = sliceBatch(input, 0, 100_000);
    const want = takeBatch(sub, sortIndices(sub, by, desc));
    const metrics = emptySpillMetrics();
    const memory = new MemoryLedger('8MiB').account('sort', { budget: 128 * 1024 });
    const out = await collect(externalSort(from(pieces(sub, 1000)), { by, descending: desc, memory, spillDir: spillDirFactory(base), metrics }));
    expectSameBatch(concatBatches(out), want);
    expect(metrics.mergePasses).toBeGreaterThan(0);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('stays in memory when everything fits: no spill directory, same result', async () => {
    let opened = 0;
    const sub = sliceBatch(input, 0, 50_000);
    const memory = new MemoryLedger('64MiB').account('sort');
    const out = await collect(externalSort(from(pieces(sub, 7000)), { by: ['k2'], memory, spillDir: () => { opened++; return spillDirFactory(base)(); } }));
    expectSameBatch(concatBatches(out), takeBatch(sub, sortIndices(sub, ['k2'], [false])));
    expect(opened).toBe(0);
  });

  it('equals sortIndices for random rows, keys, directions and budgets (property)', async () => {
    const keyNames = ['k1', 'k2', 'f', 'i', 's', 'b', 'd', 't'];
    let spilled = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(rowArb, { maxLength: 300, size: 'max' }),
      fc.uniqueArray(fc.constantFrom(...keyNames), { minLength: 1, maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 1024, max: 16 * 1024 }),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 50 }),
      async (rows, by, desc, budget, chunk, batchRows) => {
        const b = toBatch(rows);
        // dictionary-encoded input must sort like its plain form
        b.columns.k2 = dictEncode(b.columns.k2);
        b.columns.row = numericFromValues('int32', rows.map((_, i) => i));
        const want = plainBatch(takeBatch(b, sortIndices(b, by, desc)));
        const memory = new MemoryLedger('4MiB').account('sort', { budget });
        const metrics = emptySpillMetrics();
        const out = await collect(externalSort(from(pieces(b, chunk)), { by, descending: desc, memory, spillDir: spillDirFactory(base), batchRows, metrics }));
        if (metrics.runs > 1) spilled++;
        const got = out.length ? concatBatches(out) : undefined;
        expect(got?.length ?? 0).toBe(rows.length);
        if (got) for (const k of ['row', ...by]) expectSameColumn(k, got.columns[k], want.columns[k]);
        expect(memory.used).toBe(0);
      },
    ), { numRuns: 60 });
    expect(spilled).toBeGreaterThan(10);
    expect(leftovers()).toEqual([]);
  });

  it('removes its runs when the input fails mid-way and when the consumer stops early', async () => {
    const memory = new MemoryLedger('8MiB').account('sort', { budget: 256 * 1024 });
    async function* failing(): AsyncGenerator<Batch> {
      yield* pieces(sliceBatch(input, 0, 60_000), 5000);
      expect(leftovers().length).toBe(1);
      throw new Error('source failed');
    }
    await expect(collect(externalSort(failing(), { by: ['k1'], memory, spillDir: spillDirFactory(base) }))).rejects.toThrow('source failed');
    expect(leftovers()).toEqual([]);
    expect(memory.used).toBe(0);

    for await (const b of externalSort(from(pieces(input, 5000)), { by: ['k1'], memory, spillDir: spillDirFactory(base), batchRows: 100 })) {
      expect(b.length).toBe(100);
      expect(leftovers().length).toBe(1);
      break;
    }
    expect(leftovers()).toEqual([]);
    expect(memory.used).toBe(0);
  });
});
