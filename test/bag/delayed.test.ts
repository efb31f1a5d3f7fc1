/** Delayed task graphs (each task once, dependencies resolved, errors named) and ts.map (input order). */
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerError } from '../../core/errors.js';
import { bag, shutdownBagWorkers } from '../../core/bag/index.js';
import { computeAll, delayed, isComputable, map, Task } from '../../core/delayed/index.js';

afterAll(() => shutdownBagWorkers());

const SCHEDULERS = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }];

describe('delayed', () => {
  it('runs a chain with plain and task arguments, context as the last argument', async () => {
    const add = delayed((a: number, b: number) => a + b);
    const scale = delayed((x: number, ctx: { k: number }) => x * ctx.k, { context: { k: 10 } });
    const t = scale(add(add(1, 2), 4));
    expect(t).toBeInstanceOf(Task);
    expect(t.label).toMatch(/^delayed task anonymous #\d+$/);
    for (const o of SCHEDULERS) expect(await t.compute(o)).toBe(70);
  });

  it('runs a shared dependency once per compute (every dependent sees the same random draw)', async () => {
    const draw = delayed(() => Math.random(), { name: 'draw' });
    const left = delayed((x: number) => ({ side: 'left', x }));
    const right = delayed(async (x: number) => { await new Promise((r) => setTimeout(r, 5)); return { side: 'right', x }; });
    const both = delayed((l: { x: number }, r: { x: number }) => [l.x, r.x]);
    for (const o of SCHEDULERS) {
      const a = draw();
      const l = left(a), r = right(a);
      const [va, vl, vr, vb] = (await computeAll([a, l, r, both(l, r)], o)) as [number, { x: number }, { x: number }, number[]];
      expect(vl.x).toBe(va);
      expect(vr.x).toBe(va);
      expect(vb).toEqual([va, va]);
      // a separate compute runs the graph again
      expect(await a.compute(o)).not.toBe(va);
    }
  });

  it('finds tasks nested in arrays and plain objects, and takes bags as arguments', async () => {
    const sq = delayed((x: number) => x * x);
    const sum = delayed((o: { xs: number[]; extra: { y: number }; n: number }) => o.xs.reduce((s, v) => s + v, 0) + o.extra.y + o.n);
    const count = bag.fromItems([1, 2, 3]).count();
    const t = sum({ xs: [sq(1), sq(2), 3], extra: { y: sq(3) }, n: count as unknown as number });
    for (const o of SCHEDULERS) expect(await t.compute(o)).toBe(1 + 4 + 3 + 9 + 3);
    const withBag = delayed((items: number[]) => items.length)(bag.fromItems([5, 6, 7, 8], { partitions: 2 }));
    expect(await withBag.compute({ scheduler: 'threads', workers: 2 })).toBe(4);
  });

  it('a failing task rejects with a WorkerError naming it, its arguments and the cause; the pool keeps working', async () => {
    const boom = delayed((x: number) => { if (x > 1) throw new RangeError(`too big: ${x}`); return x; }, { name: 'boom' });
    const inc = delayed((x: number) => x + 1);
    for (const o of SCHEDULERS) {
      const e = await inc(boom(inc(1))).compute(o).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as Error).message).toMatch(/^delayed task boom #\d+ failed on arguments \[2\]: too big: 2$/);
      expect((e as Error).cause).toBeInstanceOf(RangeError);
      expect(await inc(boom(0)).compute(o)).toBe(1);
    }
  });

  it('runs independent tasks in parallel on the pool', async () => {
    const nap = delayed(async (ms: number) => { const t0 = Date.now(); await new Promise((r) => setTimeout(r, ms)); return [t0, Date.now()]; });
    const spans = (await computeAll([nap(150), nap(150)], { scheduler: 'threads', workers: 2 })) as number[][];
    // the two naps overlap in time
    expect(Math.max(spans[0][0], spans[1][0])).toBeLessThan(Math.min(spans[0][1], spans[1][1]));
  });

  it('isComputable recognizes bags, bag items and tasks', async () => {
    const b = bag.fromItems([1, 2]);
    const t = delayed((x: number) => x)(1);
    expect([b, b.count(), t].every(isComputable)).toBe(true);
    expect([1, {}, null, [t]].some(isComputable)).toBe(false);
    expect(await computeAll([b, b.count(), t], { scheduler: 'sync' })).toEqual([[1, 2], 2, 1]);
  });
});

describe('ts.map', () => {
  const items = Array.from({ length: 37 }, (_, i) => i);
  // later items finish first: order must come from positions, not completion
  const slowFirst = async (x: number, ctx: { n: number }) => { await new Promise((r) => setTimeout(r, (ctx.n - x) % 7)); return x * 2; };

  it('keeps input order with chunksize 1 (dynamic) and with the default chunks', async () => {
    const want = items.map((x) => x * 2);
    for (const o of SCHEDULERS) {
      expect(await map(slowFirst, items, { ...o, chunksize: 1, context: { n: 37 } })).toEqual(want);
      expect(await map(slowFirst, items, { ...o, context: { n: 37 } })).toEqual(want);
      expect(await map(slowFirst, items, { ...o, chunksize: 10, context: { n: 37 } })).toEqual(want);
    }
    expect(await map((x: number) => x, [])).toEqual([]);
  });

  it('reports the failing item and refuses a bad chunksize', async () => {
    const e = await map((x: number) => { if (x === 7) throw new Error('seven'); return x; }, items, { scheduler: 'threads', workers: 2, chunksize: 3 })
      .then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerError);
    expect((e as Error).message).toBe('ts.map failed on item 7 (partition 2, item 1): seven');
    await expect(map((x: number) => x, [1], { chunksize: 0 })).rejects.toThrow(/chunksize/);
  });
});
