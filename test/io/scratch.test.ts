/** The thread's reusable Int32Arrays handed out by a scratch lease (io/scratch.ts). */
import { describe, expect, it } from 'vitest';
import { withScratch } from '../../io/scratch.js';

describe('scratch int32 arrays', () => {
  it('are distinct within a lease and reused by the next lease in request order', async () => {
    const first = await withScratch(async (alloc) => {
      const a = alloc.int32(1000), b = alloc.int32(500);
      expect(a.length).toBe(1000);
      expect(b.length).toBe(500);
      expect(a.buffer).not.toBe(b.buffer);
      return [a.buffer, b.buffer];
    });
    const second = await withScratch(async (alloc) => [alloc.int32(800).buffer, alloc.int32(500).buffer]);
    expect(second).toEqual(first);
    expect(second[0]).toBe(first[0]);
    // a nested lease (another read in the same thread) gets fresh arrays
    await withScratch(async (outer) => {
      const held = outer.int32(10);
      await withScratch(async (inner) => { expect(inner.int32(10).buffer).not.toBe(held.buffer); });
    });
  });

  it('stop growing at the pool limit: beyond it, requests get fresh arrays', async () => {
    const big = 9 << 20; // 36 MiB each: two do not fit the 64 MiB pool
    const a = await withScratch(async (alloc) => [alloc.int32(big).buffer, alloc.int32(big).buffer]);
    const b = await withScratch(async (alloc) => [alloc.int32(big).buffer, alloc.int32(big).buffer]);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
  });
});
