/** cumsum/cumprod: sequential and Blelloch carries give the reference scan on any chunking and scheduler. */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose, scanRef } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

describe('array scans', () => {
  it('sequential == blelloch == reference', async () => {
    const arb = fc.integer({ min: 1, max: 3 }).chain((nd) => fc.record({
      shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: nd, maxLength: nd }),
      chunks: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd, maxLength: nd }),
      axis: fc.integer({ min: 0, max: nd - 1 }),
      fn: fc.constantFrom('sum' as const, 'prod' as const),
      seed: fc.integer({ min: 0, max: 1000 }),
    }));
    await fc.assert(fc.asyncProperty(arb, async ({ shape, chunks, axis, fn, seed }) => {
      // values near 1 keep products well scaled
      const a = A.random(shape, { chunks, seed }).add(0.5);
      const { data } = await a.compute({ scheduler: 'sync' });
      const ref = scanRef(data, shape, fn, axis);
      for (const method of ['sequential', 'blelloch'] as const) {
        const s = fn === 'sum' ? a.cumsum({ axis, method }) : a.cumprod({ axis, method });
        expectClose((await s.compute({ scheduler: 'sync' })).data, ref, 1e-9);
      }
    }), { numRuns: 100 });
  });

  it('works on threads, through slices, rechunks and nested scans', async () => {
    const a = A.random([30, 41], { chunks: [7, 9], seed: 11 });
    const { data } = await a.compute();
    const ref = scanRef(data, [30, 41], 'sum', 1);
    for (const method of ['sequential', 'blelloch'] as const) {
      const s = a.cumsum({ axis: 1, method });
      expectClose((await s.compute({ scheduler: 'threads', workers: 2 })).data, ref);
      // a rechunked / sliced view asks for boxes that start inside a carry chunk
      const sl = await s.rechunk([5, 5]).slice([3, 20], [4, 33]).compute({ scheduler: 'threads', workers: 2 });
      const want: number[] = [];
      for (let i = 3; i < 20; i++) for (let j = 4; j < 33; j++) want.push(ref[i * 41 + j]);
      expectClose(sl.data, want);
      const twice = await s.cumsum({ axis: 0, method }).compute({ scheduler: 'sync' });
      expectClose(twice.data, scanRef(ref, [30, 41], 'sum', 0));
    }
  });
});
