/** The hash join kernel against a nested-loop reference, and the grace join against the in-memory join. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../core/memory/index.js';
import { ResourceError, SchemaError } from '../../core/errors.js';
import type { Batch, DType } from '../../core/types.js';
import { numericFromValues, utf8FromStrings } from '../../ops/column/build.js';
import { concatBatches, takeBatch } from '../../ops/column/take.js';
import { buildJoinTable, graceJoin, joinBatches, joinedNames, probe, unmatched, type JoinHow } from '../../ops/kernels/join/index.js';
import { emptySpillMetrics, spillDirFactory } from '../../io/spill/index.js';
import { dictEncode, toRows } from '../ops/aggregate/gen.js';
import type { Row } from '../ops/aggregate/reference.js';

const base = mkdtempSync(join(os.tmpdir(), 'tessera-ooc-join-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const leftovers = () => readdirSync(base).filter((n) => n.startsWith('tessera-spill-'));
const HOWS: JoinHow[] = ['inner', 'left', 'outer'];

interface Side { k1: (number | null)[]; k2: (string | null)[]; v: (number | null)[] }

function sideBatch(s: Side, k1Type: DType, extra?: (number | null)[]): Batch {
  const columns: Batch['columns'] = { k1: numericFromValues(k1Type, s.k1), k2: utf8FromStrings(s.k2), v: numericFromValues('float64', s.v) };
  if (extra) columns.w = numericFromValues('int32', extra);
  return { length: s.k1.length, columns };
}

/** Nested loops: every (left, right) pair with non-null equal keys, as output rows, in probe order. */
function reference(l: Side, r: Side, w: (number | null)[], how: JoinHow): Row[] {
  const out: Row[] = [];
  const matched = new Array(r.k1.length).fill(false);
  const eq = (a: number | string | null, b: number | string | null) => a !== null && b !== null && a === b;
  for (let i = 0; i < l.k1.length; i++) {
    let any = false;
    for (let j = 0; j < r.k1.length; j++) {
      if (!eq(l.k1[i], r.k1[j]) || !eq(l.k2[i], r.k2[j])) continue;
      any = true; matched[j] = true;
      out.push({ k1: l.k1[i], k2: l.k2[i], v: l.v[i], v_right: r.v[j], w: w[j] });
    }
    if (!any && how !== 'inner') out.push({ k1: l.k1[i], k2: l.k2[i], v: l.v[i], v_right: null, w: null });
  }
  if (how === 'outer') for (let j = 0; j < r.k1.length; j++) if (!matched[j]) out.push({ k1: r.k1[j], k2: r.k2[j], v: null, v_right: r.v[j], w: w[j] });
  return out;
}

const sideArb = (n: number) => fc.record({
  k1: fc.array(fc.option(fc.integer({ min: -2, max: 3 }), { nil: null, freq: 5 }), { minLength: n, maxLength: n }),
  k2: fc.array(fc.option(fc.constantFrom('a', 'b', 'é', ''), { nil: null, freq: 5 }), { minLength: n, maxLength: n }),
  v: fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }), { minLength: n, maxLength: n }),
});
const twoSides = fc.tuple(fc.nat(40), fc.nat(40)).chain(([a, b]) => fc.tuple(sideArb(a), sideArb(b), fc.array(fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }), { minLength: b, maxLength: b })));

function runKernel(left: Batch, right: Batch, how: JoinHow, pieces: number): Row[] {
  const table = buildJoinTable(right, ['k1', 'k2']);
  const rows: Row[] = [];
  const step = Math.max(1, Math.ceil(left.length / pieces));
  for (let s = 0; s < left.length; s += step) {
    const part = takeBatch(left, Int32Array.from({ length: Math.min(left.length, s + step) - s }, (_, i) => s + i));
    rows.push(...toRows(joinBatches(part, right, probe(table, part, ['k1', 'k2'], how), { on: ['k1', 'k2'], how })));
  }
  if (how === 'outer') rows.push(...toRows(joinBatches(takeBatch(left, new Int32Array(0)), right, unmatched(table), { on: ['k1', 'k2'], how })));
  return rows;
}

describe('hash join kernel', () => {
  for (const how of HOWS) {
    it(`${how}: equals the nested-loop reference with duplicate and null keys, across key dtypes (property)`, () => {
      fc.assert(fc.property(twoSides, fc.constantFrom<DType>('int32', 'int64', 'float64'), fc.integer({ min: 1, max: 4 }), fc.boolean(), ([l, r, w], rightType, pieces, dict) => {
        const left = sideBatch(l, 'int32');
        const right = sideBatch(r, rightType, w);
        if (dict) left.columns.k2 = dictEncode(left.columns.k2);
        const got = runKernel(left, right, how, pieces);
        const want = reference(l, r, w, how);
        expect(got).toEqual(want);
      }), { numRuns: 150 });
    });
  }

  it('names clashing right columns with the suffix and keeps keys once', () => {
    expect(joinedNames(['id', 'v', 'v_r'], ['id', 'v', 'x'], ['id'], '_r')).toEqual(['id', 'v', 'v_r', 'v_r_r', 'x']);
    const l = sideBatch({ k1: [1], k2: ['a'], v: [1] }, 'int32');
    const r = sideBatch({ k1: [1], k2: ['a'], v: [2] }, 'int32', [3]);
    const out = joinBatches(l, r, probe(buildJoinTable(r, ['k1', 'k2']), l, ['k1', 'k2'], 'inner'), { on: ['k1', 'k2'], suffix: '_r' });
    expect(Object.keys(out.columns)).toEqual(['k1', 'k2', 'v', 'v_r', 'w']);
  });

  it('an outer join coalesces keys of different numeric dtypes into a common one', () => {
    const l = sideBatch({ k1: [1, 2], k2: ['a', 'a'], v: [1, 2] }, 'int32');
    const r = sideBatch({ k1: [2.0, 7.5], k2: ['a', 'a'], v: [3, 4] }, 'float64', [0, 0]);
    const t = buildJoinTable(r, ['k1', 'k2']);
    const a = joinBatches(l, r, probe(t, l, ['k1', 'k2'], 'outer'), { on: ['k1', 'k2'], how: 'outer' });
    const b = joinBatches(takeBatch(l, new Int32Array(0)), r, unmatched(t), { on: ['k1', 'k2'], how: 'outer' });
    expect(a.columns.k1.type).toBe('float64');
    expect(toRows(concatBatches([a, b])).map((x) => x.k1)).toEqual([1, 2, 7.5]);
  });

  it('a utf8 key against a numeric key is a SchemaError naming the key', () => {
    const l = sideBatch({ k1: [1], k2: ['a'], v: [1] }, 'int32');
    const r: Batch = { length: 1, columns: { k1: utf8FromStrings(['1']), k2: utf8FromStrings(['a']) } };
    expect(() => probe(buildJoinTable(r, ['k1', 'k2']), l, ['k1', 'k2'], 'inner')).toThrow(SchemaError);
    expect(() => probe(buildJoinTable(r, ['k1', 'k2']), l, ['k1', 'k2'], 'inner')).toThrow(/"k1"/);
  });
});

/** n rows with keys 0..distinct-1 (some null), a skewed hot key, a utf8 key part and payload. */
function joinSide(n: number, distinct: number, seed: number, hot = 0): Batch {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const k1: (number | null)[] = [], k2: (string | null)[] = [], v: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    k1.push(r < 0.02 ? null : r < 0.02 + hot ? 7 : Math.floor(rnd() * distinct));
    k2.push(rnd() < 0.02 ? null : `p${Math.floor(rnd() * 3)}`);
    v.push(i);
  }
  return { length: n, columns: { k1: numericFromValues('int64', k1), k2: utf8FromStrings(k2), v: numericFromValues('int32', v) } };
}

function canonical(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

function inMemoryJoin(left: Batch, right: Batch, how: JoinHow): Row[] {
  const t = buildJoinTable(right, ['k1', 'k2']);
  const a = joinBatches(left, right, probe(t, left, ['k1', 'k2'], how), { on: ['k1', 'k2'], how });
  const rows = toRows(a);
  if (how === 'outer') rows.push(...toRows(joinBatches(takeBatch(left, new Int32Array(0)), right, unmatched(t), { on: ['k1', 'k2'], how })));
  return rows;
}

function chunked(b: Batch, rows: number): Batch[] {
  const out: Batch[] = [];
  for (let s = 0; s < b.length; s += rows) out.push(takeBatch(b, Int32Array.from({ length: Math.min(b.length, s + rows) - s }, (_, i) => s + i)));
  return out;
}
async function* from(batches: Batch[]): AsyncGenerator<Batch> { yield* batches; }
async function collect(g: AsyncIterable<Batch>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of g) out.push(...toRows(b));
  return out;
}

describe('graceJoin', () => {
  const left = joinSide(30_000, 5000, 1);
  const right = joinSide(20_000, 5000, 2, 0.01);

  for (const how of HOWS) {
    it(`${how}: partitions to disk under a 64 KiB budget and equals the in-memory join`, async () => {
      const metrics = emptySpillMetrics();
      const memory = new MemoryLedger('8MiB').account('join', { budget: 64 * 1024 });
      const got = await collect(graceJoin(from(chunked(left, 4000)), from(chunked(right, 3000)), { on: ['k1', 'k2'], how, memory, spillDir: spillDirFactory(base), partitions: 8, batchRows: 5000, metrics }));
      expect(canonical(got)).toEqual(canonical(inMemoryJoin(left, right, how)));
      expect(metrics.spilledBytes).toBeGreaterThan(0);
      expect(metrics.partitions).toBeGreaterThanOrEqual(16);
      expect(metrics.repartitions).toBeGreaterThan(0);
      expect(memory.used).toBe(0);
      expect(leftovers()).toEqual([]);
    });
  }

  it('equals the in-memory join on random sides for any tiny budget, partition count and depth (property)', async () => {
    let spilled = 0;
    await fc.assert(fc.asyncProperty(twoSides, fc.constantFrom(...HOWS), fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 9 }),
      async ([l, r, w], how, budget, partitions, maxDepth, chunk) => {
        const left = sideBatch(l, 'int32'), right = sideBatch(r, 'float64', w);
        const memory = new MemoryLedger('4MiB').account('join', { budget });
        const metrics = emptySpillMetrics();
        const schemas = { leftSchema: { k1: 'int32', k2: 'utf8', v: 'float64' }, rightSchema: { k1: 'float64', k2: 'utf8', v: 'float64', w: 'int32' } } as const;
        const got = await collect(graceJoin(from(chunked(left, chunk)), from(chunked(right, chunk)), { on: ['k1', 'k2'], how, memory, spillDir: spillDirFactory(base), partitions, maxDepth, batchRows: 7, metrics, ...schemas }));
        expect(canonical(got)).toEqual(canonical(reference(l, r, w, how)));
        expect(memory.used).toBe(0);
        if (metrics.spilledBytes > 0) spilled++;
      }), { numRuns: 80 });
    expect(spilled).toBeGreaterThan(10);
    expect(leftovers()).toEqual([]);
  });

  it('keeps probe order and touches no disk when the build side fits', async () => {
    let opened = 0;
    const memory = new MemoryLedger('64MiB').account('join');
    const got = await collect(graceJoin(from(chunked(left, 4000)), from(chunked(right, 3000)), { on: ['k1', 'k2'], how: 'outer', memory, spillDir: () => { opened++; return spillDirFactory(base)(); } }));
    expect(got).toEqual(inMemoryJoin(left, right, 'outer'));
    expect(opened).toBe(0);
    expect(memory.used).toBe(0);
  });

  it('a single hot key that cannot be split fails with the figures when the ledger cannot hold it', async () => {
    const hotLeft = joinSide(20, 1, 5, 0.95), hotRight = joinSide(150_000, 1, 6, 0.95);
    const memory = new MemoryLedger('4MiB').account('join', { budget: 16 * 1024 });
    const e = await collect(graceJoin(from([hotLeft]), from(chunked(hotRight, 20_000)), { on: ['k1'], how: 'inner', memory, spillDir: spillDirFactory(base), maxDepth: 1 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ResourceError);
    expect((e as Error).message).toMatch(/join build partition \(\d+ rows, split 1 times\)/);
    expect((e as Error).message).toMatch(/memoryLimit/);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('a single hot key that cannot be split is held when the ledger can', async () => {
    const hotLeft = joinSide(400, 1, 3, 0.9), hotRight = joinSide(1500, 1, 4, 0.9);
    const memory = new MemoryLedger('8MiB').account('join', { budget: 16 * 1024 });
    const metrics = emptySpillMetrics();
    const got = await collect(graceJoin(from(chunked(hotLeft, 100)), from(chunked(hotRight, 100)), { on: ['k1', 'k2'], how: 'inner', memory, spillDir: spillDirFactory(base), maxDepth: 2, batchRows: 100_000, metrics }));
    expect(canonical(got)).toEqual(canonical(inMemoryJoin(hotLeft, hotRight, 'inner')));
    expect(metrics.repartitions).toBeGreaterThan(0);
    expect(memory.used).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('empty sides: outer keeps the other side, inner is empty but typed', async () => {
    const memory = new MemoryLedger('8MiB').account('join');
    const leftSchema: Record<string, DType> = { k1: 'int64', k2: 'utf8', v: 'int32' };
    const outer = await collect(graceJoin(from([]), from(chunked(right, 7000)), { on: ['k1', 'k2'], how: 'outer', memory, spillDir: spillDirFactory(base), leftSchema }));
    expect(canonical(outer)).toEqual(canonical(inMemoryJoin(takeBatch(left, new Int32Array(0)), right, 'outer')));
    const parts: Batch[] = [];
    for await (const b of graceJoin(from(chunked(left, 7000)), from([]), { on: ['k1', 'k2'], how: 'inner', memory, spillDir: spillDirFactory(base), rightSchema: { k1: 'int64', k2: 'utf8', v: 'int32' } })) parts.push(b);
    expect(parts).toHaveLength(1);
    expect(parts[0].length).toBe(0);
    expect(Object.keys(parts[0].columns)).toEqual(['k1', 'k2', 'v', 'v_right']);
  });

  it('removes its partitions when an input fails mid-way', async () => {
    const memory = new MemoryLedger('8MiB').account('join', { budget: 32 * 1024 });
    async function* failing(): AsyncGenerator<Batch> {
      yield* chunked(left, 4000).slice(0, 3);
      expect(leftovers().length).toBe(1);
      throw new Error('left source failed');
    }
    await expect(collect(graceJoin(failing(), from(chunked(right, 3000)), { on: ['k1', 'k2'], how: 'left', memory, spillDir: spillDirFactory(base) }))).rejects.toThrow('left source failed');
    expect(leftovers()).toEqual([]);
    expect(memory.used).toBe(0);
  });
});
