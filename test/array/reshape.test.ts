/** reshape: C-order values preserved over any input (views, scans, data), the chunking rule, and typed errors. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose, scanRef, sizeOf } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

/** A random factorization of `n` into `k` axes (some of them 1), possibly with one -1. */
const targetArb = (n: number) => fc.record({
  cuts: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 0, maxLength: 3 }),
  ones: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
  free: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
}).map(({ cuts, ones, free }) => {
  const dims: number[] = [];
  let rest = n;
  for (const c of cuts) {
    const divisors = Array.from({ length: rest }, (_, i) => i + 1).filter((d) => rest % d === 0);
    const d = divisors[c % divisors.length];
    dims.push(d);
    rest /= d;
  }
  dims.push(rest);
  for (const o of ones) dims.splice(o % (dims.length + 1), 0, 1);
  if (free !== undefined && n > 0) { const at = free % dims.length; if (dims.every((d, i) => i === at || d > 0)) dims[at] = -1; }
  return dims;
});

const caseArb = fc.integer({ min: 1, max: 3 }).chain((nd) => fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: nd, maxLength: nd }),
  chunks: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd, maxLength: nd }),
  view: fc.constantFrom('random', 'transpose', 'cumsum', 'data'),
  seed: fc.integer({ min: 0, max: 99 }),
})).chain((c) => fc.record({ c: fc.constant(c), to: targetArb(sizeOf(c.shape)), rechunk: fc.integer({ min: 1, max: 5 }) }));

function source(view: string, shape: number[], chunks: number[], seed: number): ts.array.LazyArray {
  const r = A.random(shape, { chunks, seed });
  if (view === 'transpose') return A.random([...shape].reverse(), { chunks: [...chunks].reverse(), seed }).T;
  if (view === 'cumsum') return r.cumsum({ axis: shape.length - 1 });
  if (view === 'data') return A.fromTypedArray(Float64Array.from({ length: sizeOf(shape) }, (_, i) => i), shape, { chunks });
  return r;
}

describe('array reshape', () => {
  it('keeps C-order values for any input and target, and round-trips', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async ({ c, to, rechunk }) => {
      const a = source(c.view, c.shape, c.chunks, c.seed);
      const flat = (await a.compute({ scheduler: 'sync' })).data;
      const r = a.reshape(to);
      expect(sizeOf(r.shape)).toBe(flat.length);
      expect(r.chunks.map((cs) => cs.reduce((x, y) => x + y, 0))).toEqual(r.shape);
      expectClose((await r.compute({ scheduler: 'sync' })).data, flat, 0);
      // read through other chunkings, and back to the original shape
      const back = r.rechunk(rechunk).reshape(c.shape);
      expectClose((await back.compute({ scheduler: 'sync' })).data, flat, 0);
    }), { numRuns: 150 });
  });

  it('gives the same values on threads, and composes with reductions and scans', async () => {
    const x = Float64Array.from({ length: 6 * 10 }, (_, i) => (i * 7) % 11);
    const a = A.fromTypedArray(x, [6, 10], { chunks: [4, 3] });
    const r = a.reshape([3, 4, 5]);
    const opts = { scheduler: 'threads' as const, workers: 2 };
    expectClose((await r.compute(opts)).data, x, 0);
    const s = await r.cumsum({ axis: 2, method: 'blelloch' }).reshape([-1]).compute(opts);
    expectClose(s.data, scanRef(x, [12, 5], 'sum', 1), 0);
    const m = await r.sum({ axis: 0 }).compute(opts);
    expectClose(m.data, Array.from({ length: 20 }, (_, j) => x[j] + x[20 + j] + x[40 + j]), 0);
  });

  it('keeps the chunks of unchanged leading axes and cuts the rest into contiguous runs', () => {
    const a = A.zeros([8, 6, 10], { chunks: [3, 2, 5] });
    expect(a.reshape([8, 60]).chunks).toEqual([[3, 3, 2], [10, 10, 10, 10, 10, 10]]);
    expect(a.reshape([8, 6, 2, 5]).chunks).toEqual([[3, 3, 2], [2, 2, 2], [1, 1], [5]]);
    expect(a.reshape([480]).chunks).toEqual([Array(16).fill(30)]);
    expect(A.arange(1000, { chunks: 100 }).reshape([10, 100]).chunks).toEqual([Array(10).fill(1), [100]]);
    expect(A.arange(1000, { chunks: 250 }).reshape([-1, 50]).chunks).toEqual([[5, 5, 5, 5], [50]]);
    expect(A.zeros([4, 5], { chunks: 2 }).reshape([4, 5, 1]).chunks).toEqual([[2, 2], [2, 2, 1], [1]]);
    const same = A.zeros([4, 5], { chunks: 2 });
    expect(same.reshape([4, -1])).toBe(same);
  });

  it('raises PlanError naming the shapes', () => {
    const a = A.zeros([6, 4], { chunks: 2 });
    expect(() => a.reshape([5, 5])).toThrowError(ts.PlanError);
    expect(() => a.reshape([5, 5])).toThrowError(/shape \[6, 4\] \(24 elements\) into \[5, 5\] \(25 elements\)/);
    expect(() => a.reshape([-1, 5])).toThrowError(/24 is not a multiple of 5/);
    expect(() => a.reshape([-1, -1])).toThrowError(/only one axis can be -1/);
    expect(() => a.reshape([2.5, 4])).toThrowError(/non-negative integers/);
    expect(() => A.zeros([0, 3], { chunks: 1 }).reshape([0, -1])).toThrowError(/cannot infer the -1/);
  });
});
