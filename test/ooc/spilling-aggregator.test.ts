/** The spilling hash aggregate gives exactly what the in-memory HashAggregator gives, under tiny budgets. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../core/memory/index.js';
import { ResourceError, SchemaError } from '../../core/errors.js';
import type { Batch, DType } from '../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../ops/column/build.js';
import { sliceBatch } from '../../ops/column/take.js';
import { HashAggregator, type AggPlan, type AggSpec } from '../../ops/kernels/aggregate/index.js';
import { SpillingHashAggregator } from '../../ops/kernels/aggregate/spilling-aggregator.js';
import { liveSpillDirs, spillDirFactory, type SpillWrite } from '../../io/spill/index.js';
import { rowArb, SCHEMA, splitAt, toBatch, toRows } from '../ops/aggregate/gen.js';
import type { Row } from '../ops/aggregate/reference.js';

const base = mkdtempSync(join(os.tmpdir(), 'tessera-ooc-agg-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const leftovers = () => readdirSync(base).filter((n) => n.startsWith('tessera-spill-'));

const FNS = ['sum', 'mean', 'min', 'max', 'count', 'nUnique', 'std', 'var', 'first', 'last'] as const;
/** Every function over a float column, the selecting ones and nUnique over utf8, a few over int/bool. */
const AGGS: AggSpec[] = [
  { fn: 'countAll', output: 'n' },
  ...FNS.map((fn) => ({ fn, input: 'f', output: `${fn}_f` })),
  { fn: 'var', input: 'f', output: 'var0_f', ddof: 0 },
  ...(['min', 'max', 'first', 'last', 'count', 'nUnique'] as const).map((fn) => ({ fn, input: 's', output: `${fn}_s` })),
  ...(['sum', 'first', 'last', 'nUnique'] as const).map((fn) => ({ fn, input: 'i', output: `${fn}_i` })),
  ...(['sum', 'last'] as const).map((fn) => ({ fn, input: 'b', output: `${fn}_b` })),
];

const planFor = (keys: string[], types: Record<string, DType> = SCHEMA): AggPlan => ({ keys, keyTypes: keys.map((k) => types[k]), aggs: AGGS, inputTypes: types });

/** Rows sorted by their group keys. */
function canonical(rows: Row[], keys: string[]): Row[] {
  const tagged = rows.map((r) => ({ r, k: JSON.stringify(keys.map((k) => r[k])) }));
  tagged.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return tagged.map((t) => t.r);
}

/** Equal rows, except var/std within 1e-9 relative: merge order changes their last bits. */
function expectSameRows(got: Row[], want: Row[]): void {
  expect(got.length).toBe(want.length);
  const close = (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  const snapped = got.map((row, g) => {
    const out: Row = { ...row };
    for (const k of Object.keys(out)) if ((k.startsWith('std') || k.startsWith('var')) && want[g] && close(out[k], want[g][k])) out[k] = want[g][k];
    return out;
  });
  // one string comparison: a deep equal over 50k rows is slow, and the first difference is what matters
  const a = snapped.map((r) => JSON.stringify(r)), b = want.map((r) => JSON.stringify(r));
  const bad = a.findIndex((x, j) => x !== b[j]);
  expect(bad >= 0 ? a[bad] : 'equal').toBe(bad >= 0 ? b[bad] : 'equal');
}

async function collect(gen: AsyncIterable<Batch>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of gen) out.push(...toRows(b));
  return out;
}

/** ~200k rows, ~50k groups over (k1 int32 with nulls, k2 utf8), every aggregate's input kind. */
function bigBatch(n: number, groups: number): Batch {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const k1: (number | null)[] = [], k2: (string | null)[] = [], f: (number | null)[] = [], i: (number | null)[] = [], str: (string | null)[] = [], b: (boolean | null)[] = [];
  for (let r = 0; r < n; r++) {
    const g = Math.floor(rnd() * groups);
    k1.push(g % 97 === 0 ? null : g >> 3);
    k2.push(g % 89 === 0 ? null : `g${g & 7}`);
    f.push(rnd() < 0.05 ? null : Math.floor(rnd() * 8000 - 4000) / 8);
    i.push(rnd() < 0.05 ? null : Math.floor(rnd() * 200 - 100));
    str.push(rnd() < 0.05 ? null : `v${Math.floor(rnd() * 300)}`);
    b.push(rnd() < 0.05 ? null : rnd() < 0.5);
  }
  return {
    length: n,
    columns: {
      k1: numericFromValues('int32', k1), k2: utf8FromStrings(k2), f: numericFromValues('float64', f),
      i: numericFromValues('int32', i), s: utf8FromStrings(str), b: numericFromValues('bool', b),
    },
  };
}

describe('SpillingHashAggregator', () => {
  const big = bigBatch(200_000, 50_000);
  const keys = ['k1', 'k2'];
  const expected = (() => {
    const a = new HashAggregator(planFor(keys));
    a.sink(big);
    return canonical(toRows(a.finalize()), keys);
  })();

  it('sinking 200k rows into ~50k groups under 1 MiB spills and matches the in-memory result', async () => {
    const ledger = new MemoryLedger('16MiB');
    const memory = ledger.account('agg', { budget: 1024 * 1024 });
    const agg = new SpillingHashAggregator(planFor(keys), { memory, spillDir: spillDirFactory(base) });
    for (let s = 0; s < big.length; s += 8192) await agg.sink(sliceBatch(big, s, Math.min(big.length, s + 8192)));
    const got = await collect(agg.finalize());
    expectSameRows(canonical(got, keys), expected);
    const m = agg.metrics;
    expect(m.spilledBytes).toBeGreaterThan(0);
    expect(m.partitions).toBeGreaterThanOrEqual(16);
    expect(m.peakBytes).toBeGreaterThan(0);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('combining worker partials in source order under a budget that forces repartitioning matches too', async () => {
    const ledger = new MemoryLedger('16MiB');
    const memory = ledger.account('agg', { budget: 256 * 1024 });
    const agg = new SpillingHashAggregator(planFor(keys), { memory, spillDir: spillDirFactory(base), partitions: 4 });
    for (let s = 0; s < big.length; s += 25_000) {
      const local = new HashAggregator(planFor(keys));
      local.sink(sliceBatch(big, s, Math.min(big.length, s + 25_000)));
      await agg.combine(local.toPartial());
    }
    const got = await collect(agg.finalize());
    expectSameRows(canonical(got, keys), expected);
    expect(agg.metrics.repartitions).toBeGreaterThan(0);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('stays in memory (no spill directory at all) when the state fits', async () => {
    const ledger = new MemoryLedger('64MiB');
    const memory = ledger.account('agg');
    let opened = 0;
    const agg = new SpillingHashAggregator(planFor(keys), { memory, spillDir: () => { opened++; return spillDirFactory(base)(); } });
    await agg.sink(big);
    const out: Batch[] = [];
    for await (const b of agg.finalize()) out.push(b);
    expect(out).toHaveLength(1);
    const direct = new HashAggregator(planFor(keys));
    direct.sink(big);
    expectSameRows(toRows(out[0]), toRows(direct.finalize()));
    expect(opened).toBe(0);
    expect(agg.metrics.spilledBytes).toBe(0);
  });

  it('equals HashAggregator on random data for any budget, partition count and batch cuts (property)', async () => {
    const keysets = [['k1'], ['k2'], ['k1', 'k2'], ['s'], ['f'], ['d', 'k2', 'k1'], []];
    let spilled = 0, repartitioned = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(rowArb, { maxLength: 200, size: 'max' }),
      fc.constantFrom(...keysets),
      fc.integer({ min: 256, max: 8192 }),
      fc.integer({ min: 2, max: 6 }),
      fc.integer({ min: 0, max: 3 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      async (rows, ks, budget, partitions, maxDepth, cuts) => {
        const batch = toBatch(rows);
        const plan = planFor(ks);
        const ref = new HashAggregator(plan);
        ref.sink(batch);
        const want = canonical(toRows(ref.finalize()), ks);
        const memory = new MemoryLedger('8MiB').account('agg', { budget });
        const agg = new SpillingHashAggregator(plan, { memory, spillDir: spillDirFactory(base), partitions, maxDepth });
        for (const [s, e] of splitAt(rows.length, cuts)) await agg.sink(sliceBatch(batch, s, e));
        const got = rows.length === 0 ? want : canonical(await collect(agg.finalize()), ks);
        if (rows.length === 0) await agg.close();
        expectSameRows(got, want);
        expect(memory.used).toBe(0);
        if (agg.metrics.spilledBytes > 0) spilled++;
        if (agg.metrics.repartitions > 0) repartitioned++;
      },
    ), { numRuns: 60 });
    expect(spilled).toBeGreaterThan(10);
    expect(repartitioned).toBeGreaterThan(0);
    expect(leftovers()).toEqual([]);
  });

  it('an error thrown mid-way, close(), and an abandoned finalize leave no spill files', async () => {
    const memory = new MemoryLedger('8MiB').account('agg', { budget: 32 * 1024 });
    const agg = new SpillingHashAggregator(planFor(keys), { memory, spillDir: spillDirFactory(base) });
    await agg.sink(sliceBatch(big, 0, 50_000));
    expect(agg.metrics.spilledBytes).toBeGreaterThan(0);
    expect(leftovers().length).toBe(1);
    const bad: Batch = { length: 1, columns: { k1: numericFromValues('int32', [1]) } };
    await expect(agg.sink(bad)).rejects.toBeInstanceOf(SchemaError);
    await agg.close();
    expect(leftovers()).toEqual([]);
    expect(memory.used).toBe(0);

    const again = new SpillingHashAggregator(planFor(keys), { memory, spillDir: spillDirFactory(base) });
    await again.sink(sliceBatch(big, 0, 50_000));
    for await (const b of again.finalize()) { expect(b.length).toBeGreaterThan(0); break; }
    expect(leftovers()).toEqual([]);
    expect(memory.used).toBe(0);
  });

  it('a failing spill write is a ResourceError and leaves nothing behind', async () => {
    let written = 0;
    const write: SpillWrite = async (fh, data, pos) => {
      if (written + data.length > 100_000) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      written += data.length;
      return fh.write(data, 0, data.length, pos);
    };
    const memory = new MemoryLedger('8MiB').account('agg', { budget: 32 * 1024 });
    const agg = new SpillingHashAggregator(planFor(keys), { memory, spillDir: spillDirFactory(base, { write }) });
    let err: unknown;
    try {
      for (let s = 0; s < big.length; s += 8192) await agg.sink(sliceBatch(big, s, Math.min(big.length, s + 8192)));
      for await (const b of agg.finalize()) void b;
    } catch (e) {
      err = e;
    } finally {
      await agg.close();
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as Error).message).toMatch(/spill directory full/);
    expect(leftovers()).toEqual([]);
    expect(liveSpillDirs().filter((p) => p.startsWith(base))).toEqual([]);
    expect(existsSync(base)).toBe(true);
  });

  it('a global aggregate (no keys) cannot split: over the ledger limit it fails with the figures', async () => {
    const ledger = new MemoryLedger('4MiB');
    const memory = ledger.account('agg', { budget: 1024 });
    const plan: AggPlan = { keys: [], keyTypes: [], aggs: [{ fn: 'nUnique', input: 'x', output: 'u' }], inputTypes: { x: 'float64' } };
    const agg = new SpillingHashAggregator(plan, { memory, spillDir: spillDirFactory(base) });
    const n = 1_000_000;
    const x = numericFromValues('float64', Array.from({ length: n }, (_, i) => i));
    const e = await (async () => { for (let s = 0; s < n; s += 50_000) await agg.sink({ length: 50_000, columns: { x: sliceBatch({ length: n, columns: { x } }, s, s + 50_000).columns.x } }); })().catch((y: unknown) => y);
    await agg.close();
    expect(e).toBeInstanceOf(ResourceError);
    expect((e as Error).message).toMatch(/no group keys/);
    expect((e as Error).message).toMatch(/memoryLimit/);
    expect(memory.used).toBe(0);
  });
});
