/** Elementwise ops, views (slice, transpose, rechunk) and constructors against plain loops; bad input raises typed errors. */
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

describe('array ops', () => {
  it('fuses elementwise trees over arrays with different chunkings', async () => {
    const x = Float64Array.from({ length: 12 * 10 }, (_, i) => (i % 13) / 7 - 0.5);
    const a = A.fromTypedArray(x, [12, 10], { chunks: [5, 4] });
    const b = A.random([12, 10], { chunks: [3, 10], seed: 1 });
    const bv = (await b.compute()).data;
    const e = A.where(a.gt(0), A.exp(a).add(A.sin(b).mul(3)), A.sqrt(A.abs(a))).div(b.add(1)).sub(A.cos(a)).add(A.log(b.add(2)));
    const want = x.map((v, i) => (v > 0 ? Math.exp(v) + 3 * Math.sin(bv[i]) : Math.sqrt(Math.abs(v))) / (bv[i] + 1) - Math.cos(v) + Math.log(bv[i] + 2));
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const got = await e.compute(opts);
      expect(got.shape).toEqual([12, 10]);
      expectClose(got.data, want, 1e-14);
    }
    expect(e.chunks).toEqual([[5, 5, 2], [4, 4, 2]]);
    expect(e.dtype).toBe('float64');
  });

  it('constructors, comparisons and a shared subexpression', async () => {
    expect([...(await A.arange(7, { chunks: 3 }).compute()).data]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...(await A.zeros([2, 2], { chunks: 1 }).add(A.ones([2, 2], { chunks: 2 })).mul(A.full([2, 2], 4, { chunks: 2 })).compute()).data]).toEqual([4, 4, 4, 4]);
    const r = A.arange(6, { chunks: 4 });
    const cmp = await Promise.all([r.gt(2), r.ge(2), r.lt(2), r.le(2), r.eq(2), r.ne(2)].map(async (c) => [...(await c.compute()).data]));
    expect(cmp).toEqual([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0], [0, 0, 1, 0, 0, 0], [1, 1, 0, 1, 1, 1]]);
    const s = A.exp(r.div(10));
    expectClose((await s.add(s).sub(s.mul(2)).compute({ scheduler: 'threads', workers: 2 })).data, [0, 0, 0, 0, 0, 0]);
  });

  it('slices, transposes and rechunks', async () => {
    const x = Float64Array.from({ length: 6 * 8 }, (_, i) => i);
    const a = A.fromTypedArray(x, [6, 8], { chunks: [4, 3] });
    const s = a.slice([1, 5], [-6, -1]);
    expect(s.shape).toEqual([4, 5]);
    expect(s.chunks).toEqual([[3, 1], [1, 3, 1]]);
    const want: number[] = [];
    for (let i = 1; i < 5; i++) for (let j = 2; j < 7; j++) want.push(i * 8 + j);
    expect([...(await s.compute({ scheduler: 'threads', workers: 2 })).data]).toEqual(want);
    const t = a.T;
    expect(t.shape).toEqual([8, 6]);
    expect(t.chunks).toEqual([[3, 3, 2], [4, 2]]);
    const tv = (await t.rechunk(5).compute({ scheduler: 'threads', workers: 2 })).data;
    for (let i = 0; i < 8; i++) for (let j = 0; j < 6; j++) expect(tv[i * 6 + j]).toBe(j * 8 + i);
    const p = A.fromTypedArray(Float64Array.from({ length: 24 }, (_, i) => i), [2, 3, 4], { chunks: 2 }).transpose([2, 0, 1]);
    const pv = (await p.compute()).data;
    expect(p.shape).toEqual([4, 2, 3]);
    expect(pv[1 * 6 + 1 * 3 + 2]).toBe(1 * 12 + 2 * 4 + 1);
    expect([...(await a.T.T.sum({ axis: 1 }).compute()).data]).toEqual([0, 1, 2, 3, 4, 5].map((i) => 64 * i + 28));
  });

  it('raises typed errors for bad shapes, chunks, axes and operands', () => {
    expect(() => A.random([4, 4], { chunks: [2] })).toThrowError(ts.PlanError);
    expect(() => A.random([4, 4], { chunks: [2] })).toThrowError(/\[2\].*1 entries.*2 axes/);
    expect(() => A.random([4, 4], { chunks: 0 })).toThrowError(/size 0 for axis 0/);
    expect(() => A.zeros([4, 4], { chunks: [2, -1] })).toThrowError(/size -1 for axis 1/);
    expect(() => A.zeros([4, 2.5], { chunks: 2 })).toThrowError(ts.PlanError);
    expect(() => A.fromTypedArray(new Float64Array(5), [2, 3], { chunks: 2 })).toThrowError(/5 values do not fill shape \[2, 3\]/);
    const a = A.zeros([4, 4], { chunks: 2 });
    expect(() => a.sum({ axis: 2 })).toThrowError(ts.PlanError);
    expect(() => a.argmax({ axis: -3 })).toThrowError(/axis -3 is out of range/);
    expect(() => a.cumsum({ axis: 5 })).toThrowError(ts.PlanError);
    expect(() => a.cumsum()).toThrowError(/give \{ axis \}/);
    expect(() => a.cumsum({ axis: 0, method: 'magic' as never })).toThrowError(/unknown method/);
    expect(() => a.add(A.zeros([4, 3], { chunks: 2 }))).toThrowError(/shapes \[4, 4\] and \[4, 3\] do not broadcast/);
    expect(() => a.slice([0, 9])).toThrowError(/outside axis 0/);
    expect(() => a.transpose([0, 0])).toThrowError(ts.PlanError);
    expect(() => A.random([2], { chunks: 1, dist: 'poisson' as never })).toThrowError(/unknown dist/);
  });

  it('rejects schedulers arrays cannot use', async () => {
    await expect(A.zeros([2], { chunks: 1 }).compute({ scheduler: 'processes' as never })).rejects.toThrowError(ts.NotImplementedError);
    await expect(A.zeros([2], { chunks: 1 }).compute({ workers: 0 })).rejects.toThrowError(ts.PlanError);
  });
});
