/** Reductions equal a plain-loop reference over random shapes, chunkings, axes and schedulers. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose, reduceRef, scanRef, sizeOf } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

const FNS = ['sum', 'mean', 'min', 'max', 'var', 'std', 'argmin', 'argmax'] as const;

const caseArb = fc.integer({ min: 1, max: 3 }).chain((nd) => fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: nd, maxLength: nd }),
  chunks: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd, maxLength: nd }),
  axis: fc.option(fc.integer({ min: 0, max: nd - 1 }), { nil: undefined }),
  fn: fc.constantFrom(...FNS),
  seed: fc.integer({ min: 0, max: 1000 }),
  ints: fc.boolean(),
}));

describe('array reductions', () => {
  it('match a plain loop (sync)', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async ({ shape, chunks, axis, fn, seed, ints }) => {
      // small integers make ties, which checks that arg* return the first occurrence
      const base = A.random(shape, { chunks, seed });
      const a = ints ? A.where(base.gt(0.5), 1, base.gt(0.2)) : base;
      const { data } = await a.compute({ scheduler: 'sync' });
      const got = await a[fn]({ axis }).compute({ scheduler: 'sync' });
      expectClose(got.data, reduceRef(data, shape, fn, axis ?? null), 1e-9);
      expect(got.shape).toEqual(axis === undefined ? [] : shape.filter((_, d) => d !== axis));
    }), { numRuns: 150 });
  });

  it('give the same answers on threads, and along a rechunked array', async () => {
    const a = A.random([37, 23], { chunks: [10, 6], seed: 3, dist: 'normal' });
    const { data } = await a.compute({ scheduler: 'sync' });
    for (const fn of FNS) {
      for (const axis of [undefined, 0, 1]) {
        const got = await a.rechunk([8, 23])[fn]({ axis }).compute({ scheduler: 'threads', workers: 2 });
        expectClose(got.data, reduceRef(data, [37, 23], fn, axis ?? null), 1e-9);
      }
    }
  });

  it('fold large chunks strip by strip with the same answers (every fn and axis, Blelloch totals too)', async () => {
    // chunks above 32768 elements are folded a few rows at a time in the task
    for (const [shape, chunks] of [[[300, 250], [200, 250]], [[40, 30, 50], [40, 30, 50]], [[70000], [50000]]] as const) {
      const base = A.random([...shape], { chunks: [...chunks], seed: 9 });
      // ties (and a NaN-free mix) exercise arg* first-occurrence across strips
      const a = A.where(base.gt(0.999), 2, base);
      const { data } = await a.compute({ scheduler: 'sync' });
      for (const fn of FNS) {
        for (const axis of [undefined, ...shape.keys()]) {
          const got = await a[fn]({ axis }).compute({ scheduler: 'sync' });
          expectClose(got.data, reduceRef(data, [...shape], fn, axis ?? null), 1e-9);
        }
      }
      for (const axis of shape.keys()) {
        const got = await a.cumsum({ axis, method: 'blelloch' }).compute({ scheduler: 'threads', workers: 2 });
        expectClose(got.data, scanRef(data, [...shape], 'sum', axis), 1e-9);
      }
    }
  });

  it('combine with elementwise ops (0-d arrays broadcast)', async () => {
    const a = A.arange(10, { chunks: 3 });
    const centered = await a.sub(a.mean()).compute({ scheduler: 'sync' });
    expect([...centered.data]).toEqual([...Array(10).keys()].map((i) => i - 4.5));
    expect(sizeOf(centered.shape)).toBe(10);
    expect((await a.sub(a.mean()).sum().compute()).data[0]).toBeCloseTo(0, 12);
  });
});
