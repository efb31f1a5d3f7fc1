/** The WebAssembly code kernels against plain loops over the same inputs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  wasmAddCoded, wasmComposite, wasmCountRows, wasmFirstAppearances, wasmGroupPairs, wasmTotalCoded, wasmUsedCodes,
} from '../../../ops/kernels/wasm/codes.js';
import { inKernelMemory, ownedCopy } from '../../../ops/kernels/wasm/memory.js';
import { withScratch } from '../../../io/scratch.js';

/** n codes below `space` (n >= space, as the kernels that need it require), and a prefix length to use. */
const codesArb = fc.integer({ min: 1, max: 300 }).chain((space) => fc.tuple(
  fc.constant(space),
  fc.array(fc.integer({ min: 0, max: space - 1 }), { minLength: space, maxLength: space + 2000 }),
)).chain(([space, codes]) => fc.tuple(fc.constant(space), fc.constant(Int32Array.from(codes)), fc.integer({ min: space, max: codes.length })));

const dictArb = (m: number) => fc.array(fc.double({ noNaN: false, min: -1e6, max: 1e6 }), { minLength: m, maxLength: m }).map((d) => Float64Array.from(d));

describe('code kernels in WebAssembly', () => {
  it('count rows per group', () => {
    fc.assert(fc.property(codesArb, fc.array(fc.nat(1000)), ([space, gids, n], init) => {
      const want = Float64Array.from({ length: space + 3 }, (_, i) => init[i] ?? 0), got = want.slice();
      for (let i = 0; i < n; i++) want[gids[i]]++;
      expect(wasmCountRows(got, gids, n, space)).toBe(true);
      expect(got).toEqual(want);
    }));
  });

  it('flag used codes, sum dictionary values by code in row order, and add them per group', () => {
    fc.assert(fc.property(codesArb.chain(([m, codes, n]) => fc.tuple(fc.constant(m), fc.constant(codes), fc.constant(n), dictArb(m), fc.double({ min: -10, max: 10 }))), ([m, codes, n, d, from]) => {
      const used = new Uint8Array(m);
      let total = from;
      for (let i = 0; i < n; i++) { used[codes[i]] = 1; total += d[codes[i]]; }
      expect(wasmUsedCodes(codes, n, m)).toEqual(used);
      expect(Object.is(wasmTotalCoded(d, codes, n, from), total)).toBe(true);
      // group ids: the codes reversed, groups = m
      const gids = codes.slice().reverse();
      const want = new Float64Array(m).fill(0.5), got = want.slice();
      for (let i = 0; i < n; i++) want[gids[i]] += d[codes[i]];
      expect(wasmAddCoded(got, gids, d, codes, n, m)).toBe(true);
      expect(got).toEqual(want);
    }));
  });

  it('composite codes and first appearances', () => {
    fc.assert(fc.property(codesArb, fc.integer({ min: 1, max: 20 }), ([m, a, n], m2) => {
      const b = a.map((x, i) => (x * 7 + i) % m2);
      const want = Int32Array.from({ length: n }, (_, i) => a[i] + b[i] * m);
      const comp = wasmComposite([a, b], [1, m], n)!;
      expect(comp).toEqual(want);
      const space = m * m2;
      fc.pre(space <= n);
      const seenW = new Int32Array(space).fill(-1), firstW: number[] = [];
      for (let i = 0; i < n; i++) if (seenW[comp[i]] < 0) { seenW[comp[i]] = firstW.length; firstW.push(i); }
      const seen = new Int32Array(space + 2).fill(7), first = new Int32Array(n);
      const found = wasmFirstAppearances(comp, n, seen, space, first, space);
      expect(found).toBe(firstW.length);
      expect(seen.subarray(0, space)).toEqual(seenW);
      expect(Array.from(first.subarray(0, found))).toEqual(firstW);
      // stopping once `most` codes were found
      const most = Math.max(1, firstW.length >> 1);
      expect(wasmFirstAppearances(comp, n, seen, space, first, most)).toBe(most);
      expect(Array.from(first.subarray(0, most))).toEqual(firstW.slice(0, most));
    }));
  });

  it('finds first appearances across blocks of rows', () => {
    const n = 200_000, space = 1000;
    // codes 500..999 first appear after row 100000, in the second block and later
    const comp = Int32Array.from({ length: n }, (_, i) => (i < 100_000 ? i % 500 : (i * 7) % 1000));
    const seenW = new Int32Array(space).fill(-1), firstW: number[] = [];
    for (let i = 0; i < n; i++) if (seenW[comp[i]] < 0) { seenW[comp[i]] = firstW.length; firstW.push(i); }
    const seen = new Int32Array(space), first = new Int32Array(space);
    expect(wasmFirstAppearances(comp, n, seen, space, first, space)).toBe(space);
    expect(seen).toEqual(seenW);
    expect(Array.from(first)).toEqual(firstW);
    expect(firstW[999]).toBeGreaterThan(65_536);
  });

  it('reads codes in place from the kernel memory, with the same results', async () => {
    const n = 50_000, m = 97;
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 13) % m), d = Float64Array.from({ length: m }, (_, i) => i * 0.25 - 3);
    const counts = new Float64Array(m), sums = new Float64Array(m);
    const used = wasmUsedCodes(codes, n, m)!, total = wasmTotalCoded(d, codes, n, 1)!;
    wasmCountRows(counts, codes, n, m);
    wasmAddCoded(sums, codes, d, codes, n, m);
    await withScratch(async (alloc) => {
      const view = alloc.int32(n);
      expect(inKernelMemory(view)).toBe(true);
      view.set(codes);
      const c2 = new Float64Array(m), s2 = new Float64Array(m);
      expect(wasmUsedCodes(view, n, m)).toEqual(used);
      expect(wasmTotalCoded(d, view, n, 1)).toBe(total);
      expect(wasmCountRows(c2, view, n, m)).toBe(true);
      expect(wasmAddCoded(s2, view, d, view, n, m)).toBe(true);
      expect(c2).toEqual(counts);
      expect(s2).toEqual(sums);
      expect(wasmComposite([view, view], [1, m], n)).toEqual(wasmComposite([codes, codes], [1, m], n));
      const seenA = new Int32Array(m), seenB = new Int32Array(m), firstA = new Int32Array(m), firstB = new Int32Array(m);
      expect(wasmFirstAppearances(view, n, seenA, m, firstA, m)).toBe(wasmFirstAppearances(codes, n, seenB, m, firstB, m));
      expect(seenA).toEqual(seenB);
      expect(firstA).toEqual(firstB);
    });
  });

  it('copies a result column that views the kernel memory before it leaves the thread', async () => {
    await withScratch(async (alloc) => {
      const view = alloc.int32(1000).fill(5);
      const own = new Float64Array(3);
      const batch = { length: 1000, columns: { a: { type: 'int32' as const, length: 1000, values: view, nullCount: 0 }, b: { type: 'float64' as const, length: 3, values: own, nullCount: 0 } } };
      const out = ownedCopy(batch);
      expect(inKernelMemory(out.columns.a.values)).toBe(false);
      expect(out.columns.a.values).toEqual(view);
      expect(out.columns.b).toBe(batch.columns.b);
      expect(ownedCopy(out)).toBe(out);
    });
  });

  it('dense group ids of code pairs in order of first appearance', () => {
    fc.assert(fc.property(codesArb, fc.integer({ min: 1, max: 40 }), ([m, a, n], m2) => {
      const b = a.map((x, i) => (x * 11 + (i >> 3)) % m2);
      const ids = new Map<number, number>(), first: number[] = [], want = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const k = a[i] + b[i] * (m + 1);
        if (!ids.has(k)) { ids.set(k, first.length); first.push(i); }
        want[i] = ids.get(k)!;
      }
      const gids = new Int32Array(n + 3).fill(-7), firstRow = new Int32Array(Math.min(n, (m + 1) * m2));
      const found = wasmGroupPairs(a, b, n, m + 1, (m + 1) * m2, gids, firstRow);
      expect(found).toBe(first.length);
      expect(gids.subarray(0, n)).toEqual(want);
      expect(Array.from(gids.subarray(n))).toEqual([-7, -7, -7]);
      expect(Array.from(firstRow.subarray(0, found))).toEqual(first);
    }));
  });

  it('declines calls with more groups than rows, leaving the outputs alone', () => {
    const c = new Float64Array(10);
    expect(wasmCountRows(c, new Int32Array([1, 2]), 2, 10)).toBe(false);
    expect(wasmAddCoded(c, new Int32Array([1]), new Float64Array([1]), new Int32Array([0]), 1, 10)).toBe(false);
    expect(wasmFirstAppearances(new Int32Array([3]), 1, new Int32Array(5), 5, new Int32Array(1), 5)).toBe(-1);
    expect(c).toEqual(new Float64Array(10));
  });
});
