/** Counter-based random numbers: known answers, and identical values whatever the chunking, scheduler or worker count. */
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { fillRandom, philox4x32, toUniform } from '../../ops/kernels/array/philox.js';

const A = ts.array;
afterAll(() => A.shutdownArrayWorkers());

const hex = (o: Uint32Array) => [...o].map((x) => x.toString(16).padStart(8, '0'));

describe('array random', () => {
  it('Philox4x32-10 matches the Random123 known-answer vectors', () => {
    const o = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, o);
    expect(hex(o)).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, o);
    expect(hex(o)).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, o);
    expect(hex(o)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('fills from the wasm kernel exactly what the JS block function gives, at any offset', () => {
    const w = new Uint32Array(4);
    for (const seed of [0, 42, -9, 2 ** 40 + 5]) {
      // elements near 2^33 sit just before block 2^32: the counter's high word must carry, in SIMD groups too
      for (const [g, len] of [[0, 9], [1, 8], [5, 1], [2 ** 33 - 3, 10], [2 ** 33 - 20, 41], [77, 140001]]) {
        const out = new Float64Array(len + 2);
        fillRandom(out, 1, len, g, seed, 'uniform');
        const [k0, k1] = [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
        for (let i = 0; i < len; i += len > 100 ? 997 : 1) {
          const e = g + i, block = Math.floor(e / 2);
          philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, 0, 0, k0, k1, w);
          expect(out[1 + i]).toBe(e % 2 === 0 ? toUniform(w[0], w[1]) : toUniform(w[2], w[3]));
        }
        expect([out[0], out[len + 1]]).toEqual([0, 0]);
      }
    }
  });

  it('gives bit-identical values across chunkings, schedulers and worker counts', async () => {
    for (const dist of ['uniform', 'normal'] as const) {
      const ref = await A.random([33, 17, 5], { chunks: [33, 17, 5], seed: 99, dist }).compute({ scheduler: 'sync' });
      for (const [chunks, scheduler, workers] of [[[4, 3, 2], 'sync', 1], [[7, 17, 1], 'threads', 1], [5, 'threads', 2], [[1, 1, 5], 'threads', 2]] as const) {
        const got = await A.random([33, 17, 5], { chunks: chunks as number[] | number, seed: 99, dist }).compute({ scheduler, workers });
        expect(Buffer.from(got.data.buffer).equals(Buffer.from(ref.data.buffer))).toBe(true);
      }
      // a slice reads the same global elements
      const sl = await A.random([33, 17, 5], { chunks: 4, seed: 99, dist }).slice([10, 12], [3, 4]).compute();
      expect([...sl.data]).toEqual([...ref.data.subarray(10 * 85 + 15, 10 * 85 + 20), ...ref.data.subarray(11 * 85 + 15, 11 * 85 + 20)]);
    }
  });

  it('has the right distributions and differs between seeds', async () => {
    const u = A.random([200000], { chunks: 30001, seed: 5 });
    const [mean, min, max] = await Promise.all([u.mean(), u.min(), u.max()].map(async (x) => (await x.compute({ scheduler: 'sync' })).data[0]));
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const n = A.random([200000], { chunks: 30001, seed: 5, dist: 'normal' });
    expect(Math.abs((await n.mean().compute()).data[0])).toBeLessThan(0.01);
    expect(Math.abs((await n.std().compute()).data[0] - 1)).toBeLessThan(0.01);
    const other = await A.random([4], { chunks: 4, seed: 6 }).compute();
    const same = await A.random([4], { chunks: 4, seed: 5 }).compute();
    expect([...other.data]).not.toEqual([...same.data]);
  });

  it('randomStream is reproducible and independent per stream id', () => {
    const draw = (seed: number, i: number) => { const r = A.randomStream(seed, i); return [r.uniform(), r.uniform(), r.normal(), r.normal(), r.uniform()]; };
    expect(draw(1, 3)).toEqual(draw(1, 3));
    expect(draw(1, 3)).not.toEqual(draw(1, 4));
    expect(draw(1, 3)).not.toEqual(draw(2, 3));
    const r = A.randomStream(7, 0);
    let s = 0;
    for (let k = 0; k < 20000; k++) s += r.uniform();
    expect(Math.abs(s / 20000 - 0.5)).toBeLessThan(0.01);
  });
});
