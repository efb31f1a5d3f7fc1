/** Broadcasting in elementwise ops (NumPy rules) against a plain-JS reference; chunks of the result; shape errors. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose, sizeOf, strides } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

/** Value of an operand (C-order `data`, shape `s`) at result index `idx` under broadcasting. */
function at(data: Float64Array, s: number[], idx: number[]): number {
  const lead = idx.length - s.length;
  const st = strides(s);
  let k = 0;
  s.forEach((n, d) => { if (n !== 1) k += idx[d + lead] * st[d]; });
  return data[k];
}

function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) { idx[d] = i % shape[d]; i = Math.floor(i / shape[d]); }
  return idx;
}

/** An operand shape broadcastable to `out`: a suffix of it, some axes set to 1. */
const operandArb = (out: number[]) => fc.record({
  drop: fc.integer({ min: 0, max: out.length }),
  ones: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
  chunk: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 0, max: 99 }),
}).map(({ drop, ones, chunk, seed }) => ({ shape: out.slice(drop).map((n, k) => (ones[k + drop] ? 1 : n)), chunk, seed }));

const caseArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((out) => fc.record({ out: fc.constant(out), a: operandArb(out), b: operandArb(out), c: operandArb(out), fn: fc.constantFrom('add', 'sub', 'mul', 'div', 'gt') }));

const OPS: Record<string, (x: number, y: number) => number> = { add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y, gt: (x, y) => (x > y ? 1 : 0) };

describe('array broadcasting', () => {
  it('binary ops and where equal a plain-JS reference', async () => {
    await fc.assert(fc.asyncProperty(caseArb, async ({ a, b, c, fn }) => {
      const [x, y, z] = [a, b, c].map((o) => A.random(o.shape, { chunks: o.chunk, seed: o.seed }));
      const [xv, yv, zv] = await Promise.all([x, y, z].map(async (v) => (await v.compute({ scheduler: 'sync' })).data));
      const r = (x as unknown as Record<string, (o: ts.array.LazyArray) => ts.array.LazyArray>)[fn].call(x, y);
      const shape = r.shape;
      const got = await r.compute({ scheduler: 'sync' });
      const want = Float64Array.from({ length: sizeOf(shape) }, (_, i) => { const idx = unravel(i, shape); return OPS[fn](at(xv, a.shape, idx), at(yv, b.shape, idx)); });
      expectClose(got.data, want, 1e-15);
      const w = A.where(z.gt(0.5), x, y);
      const ws = w.shape;
      const wv = (await w.compute({ scheduler: 'sync' })).data;
      expectClose(wv, Float64Array.from({ length: sizeOf(ws) }, (_, i) => { const idx = unravel(i, ws); return at(zv, c.shape, idx) > 0.5 ? at(xv, a.shape, idx) : at(yv, b.shape, idx); }), 0);
    }), { numRuns: 150 });
  });

  it('(n, m) + (m,) and (n, 1) * (1, m) on threads, fused with unary ops and a reduction', async () => {
    const n = 37, m = 23;
    const a = A.random([n, m], { chunks: [10, 6], seed: 1 });
    const row = A.arange(m, { chunks: 5 });
    const col = A.arange(n, { chunks: 4 }).reshape([n, 1]);
    const av = (await a.compute()).data;
    const s = A.exp(a.add(row)).mul(col.add(1)).sub(row.reshape([1, m]).mul(col));
    expect(s.shape).toEqual([n, m]);
    expect(s.chunks).toEqual(a.chunks);
    const want = Float64Array.from({ length: n * m }, (_, k) => { const i = Math.floor(k / m), j = k % m; return Math.exp(av[k] + j) * (i + 1) - j * i; });
    expectClose((await s.compute({ scheduler: 'threads', workers: 2 })).data, want, 1e-14);
    const outer = col.mul(row.reshape([1, m]));
    expect(outer.shape).toEqual([n, m]);
    expect(outer.chunks).toEqual([[4, 4, 4, 4, 4, 4, 4, 4, 4, 1], [5, 5, 5, 5, 3]]);
    const colSums = await outer.sum({ axis: 0 }).compute({ scheduler: 'threads', workers: 2 });
    expectClose(colSums.data, Array.from({ length: m }, (_, j) => j * (n * (n - 1)) / 2), 0);
  });

  it('raises PlanError with both shapes when they do not broadcast', () => {
    const a = A.zeros([4, 3], { chunks: 2 });
    expect(() => a.add(A.zeros([4], { chunks: 2 }))).toThrowError(ts.PlanError);
    expect(() => a.add(A.zeros([4], { chunks: 2 }))).toThrowError(/add: shapes \[4, 3\] and \[4\] do not broadcast \(axis 1 of the result: 3 vs 4\)/);
    expect(() => a.mul(A.zeros([2, 3, 1], { chunks: 2 }))).toThrowError(/shapes \[4, 3\] and \[2, 3, 1\]/);
    expect(() => A.where(a.gt(0), a, A.zeros([2], { chunks: 1 }))).toThrowError(/where: shapes \[4, 3\] and \[2\] do not broadcast/);
    expect(a.add(A.zeros([1], { chunks: 1 })).shape).toEqual([4, 3]);
    expect(A.zeros([1], { chunks: 1 }).add(a).chunks).toEqual(a.chunks);
  });
});
