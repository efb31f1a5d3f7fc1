/** The W7 pipeline (exp + 3 sin -> mean over axis 0, cumsum over axis 1) against plain JS over the same Philox values. */
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose } from './ref.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

describe('array W7 pipeline', () => {
  it('mean(axis 0) and cumsum(axis 1) of exp(x) + 3 sin(x) equal plain JS, computed in one call', async () => {
    const n = 150, c = 40;
    const x = A.random([n, n], { chunks: c, seed: 7 });
    const xv = (await x.compute({ scheduler: 'sync' })).data;
    const yv = xv.map((v) => Math.exp(v) + 3 * Math.sin(v));
    const mean = new Float64Array(n), cum = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) { mean[j] += yv[i * n + j] / n; acc += yv[i * n + j]; cum[i * n + j] = acc; }
    }
    const y = A.exp(x).add(A.sin(x).mul(3));
    const cs = y.cumsum({ axis: 1 });
    for (const opts of [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }]) {
      const [m, full, last] = await A.compute(y.mean({ axis: 0 }), cs, cs.slice([0, n], [n - 1, n]).sum(), opts);
      expectClose(m.data, mean, 1e-12);
      expectClose(full.data, cum, 1e-12);
      let lastSum = 0;
      for (let i = 0; i < n; i++) lastSum += cum[i * n + n - 1];
      expectClose(last.data, [lastSum], 1e-12);
    }
    // the statistic the benchmark checks: E[exp(U) + 3 sin(U)] = (e - 1) + 3 (1 - cos 1)
    const grand = (await y.mean().compute()).data[0];
    expect(Math.abs(grand - (Math.E - 1 + 3 * (1 - Math.cos(1))))).toBeLessThan(6 * 1.23 / n);
  });

  it('shares one pass between breakers over the same array without changing their answers', async () => {
    const x = A.random([90, 70], { chunks: [20, 30], seed: 3, dist: 'normal' });
    const y = A.exp(x.mul(0.1)).sub(x);
    const outs = [y.sum({ axis: 1 }), y.var({ axis: 0 }), y.argmax(), y.cumsum({ axis: 0, method: 'blelloch' }), y.cumprod({ axis: 1, method: 'sequential' }).max()];
    const together = await A.compute(...outs, { scheduler: 'threads', workers: 2 });
    for (const [k, o] of outs.entries()) expect([...together[k].data]).toEqual([...(await o.compute({ scheduler: 'sync' })).data]);
  });
});
