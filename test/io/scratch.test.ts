/** The thread's reusable Int32Arrays handed out by a scratch lease (io/scratch.ts). */
import { describe, expect, it } from 'vitest';
import { withScratch } from '../../io/scratch.js';
import { inKernelMemory } from '../../ops/kernels/wasm/memory.js';

/** Where an array's values lie: its buffer and byte range (compared without printing buffers). */
const place = (a: Int32Array) => ({ buffer: a.buffer, from: a.byteOffset, to: a.byteOffset + a.byteLength });
const overlap = (a: Int32Array, b: Int32Array) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

describe('scratch int32 arrays', () => {
  it('are distinct within a lease, views of the kernel memory, and reused by the next lease in request order', async () => {
    const first = await withScratch(async (alloc) => {
      const a = alloc.int32(1000), b = alloc.int32(500);
      expect(a.length).toBe(1000);
      expect(b.length).toBe(500);
      expect(inKernelMemory(a) && inKernelMemory(b)).toBe(true);
      expect(overlap(a, b)).toBe(false);
      return [place(a), place(b)];
    });
    const second = await withScratch(async (alloc) => [alloc.int32(800), alloc.int32(500)]);
    expect(second[0].buffer === first[0].buffer && second[0].byteOffset === first[0].from).toBe(true);
    expect(second[1].buffer === first[1].buffer && second[1].byteOffset === first[1].from).toBe(true);
    // a nested lease (another read in the same thread) gets arrays of its own
    await withScratch(async (outer) => {
      const held = outer.int32(10);
      await withScratch(async (inner) => { expect(overlap(inner.int32(10), held)).toBe(false); });
    });
  });

  it('keep room: a slightly larger request of a later lease (the next row group) reuses the same place', async () => {
    const at = await withScratch(async (alloc) => [alloc.int32(1_000_025), alloc.int32(1_000_025)].map((a) => a.byteOffset));
    const again = await withScratch(async (alloc) => [alloc.int32(1_001_163), alloc.int32(1_000_030)]);
    expect(again.map((a) => a.byteOffset)).toEqual(at);
    expect(again.map((a) => a.length)).toEqual([1_001_163, 1_000_030]);
    expect(overlap(again[0], again[1])).toBe(false);
  });

  it('stop at the size of the code region: beyond it, requests get JS arrays, and the region is reused after', async () => {
    const big = 9 << 20; // 36 MiB each: two do not fit the 64 MiB region
    const a = await withScratch(async (alloc) => [alloc.int32(big), alloc.int32(big)].map(inKernelMemory));
    expect(a).toEqual([true, false]);
    // the lease after one that found the region full starts it over
    const b = await withScratch(async (alloc) => [alloc.int32(big), alloc.int32(1000)].map(inKernelMemory));
    expect(b).toEqual([true, true]);
    // later, smaller requests fit in the region again
    const c = await withScratch(async (alloc) => [alloc.int32(1000), alloc.int32(1000)].map(inKernelMemory));
    expect(c).toEqual([true, true]);
  });
});
