/** Every bag verb against a plain-JS reference, over random items and partition counts, under both schedulers. */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bag, shutdownBagWorkers, type Bag } from '../../core/bag/index.js';

afterAll(() => shutdownBagWorkers());

const SCHEDULERS = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }];
const RUNS = { numRuns: 25 };

type Item = number | string | { a: number; b: string };
const item: fc.Arbitrary<Item> = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.string({ maxLength: 3 }),
  fc.record({ a: fc.integer({ min: 0, max: 3 }), b: fc.constantFrom('x', 'y') }),
);
const items = fc.array(item, { maxLength: 60 });
const ints = fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 60 });
const parts = fc.integer({ min: 1, max: 9 });

/** Computes `b` with each scheduler and checks it against `want`. */
async function same<T>(b: Bag<T> | { compute(o: object): Promise<unknown> }, want: unknown): Promise<void> {
  for (const o of SCHEDULERS) expect(await b.compute(o)).toEqual(want);
}

// items are compared as they arrive in a worker: cloned (so prototypes such as fast-check's null-prototype records are gone)
const eq = (x: unknown, y: unknown): boolean => isDeepStrictEqual(structuredClone(x), structuredClone(y));
const distinctRef = <T>(xs: T[]): T[] => xs.filter((x, i) => xs.findIndex((y) => eq(x, y)) === i);
const freqRef = <T>(xs: T[]): [T, number][] => distinctRef(xs).map((v) => [v, xs.filter((y) => eq(v, y)).length]);

describe('bag verbs vs plain JS', () => {
  it('map, filter, flatMap, pluck fuse in order', async () => {
    await fc.assert(fc.asyncProperty(ints, parts, async (xs, p) => {
      const b = bag.fromItems(xs, { partitions: p })
        .map((x: number, c: { k: number }) => ({ v: x * c.k, s: String(x) }), { context: { k: 3 } })
        .filter((o) => o.v % 2 === 0)
        .flatMap((o) => [o, { v: o.v + 1, s: o.s }])
        .pluck('v');
      await same(b, xs.map((x) => ({ v: x * 3, s: String(x) })).filter((o) => o.v % 2 === 0).flatMap((o) => [o.v, o.v + 1]));
    }), RUNS);
  });

  it('frequencies, distinct and count', async () => {
    await fc.assert(fc.asyncProperty(items, parts, async (xs, p) => {
      const b = bag.fromItems(xs, { partitions: p });
      await same(b.frequencies(), freqRef(xs));
      await same(b.distinct(), distinctRef(xs));
      await same(b.count(), xs.length);
    }), RUNS);
  });

  it('topk by item, field and function: descending, ties in first-appearance order', async () => {
    const recs = fc.array(fc.record({ n: fc.integer({ min: 0, max: 5 }), id: fc.nat() }), { maxLength: 60 });
    await fc.assert(fc.asyncProperty(recs, parts, fc.integer({ min: 0, max: 12 }), async (xs, p, k) => {
      const b = bag.fromItems(xs, { partitions: p });
      const byN = [...xs].sort((a, c) => c.n - a.n).slice(0, k);
      await same(b.topk(k, 'n'), byN);
      await same(b.topk(k, (r: { n: number; id: number }) => -r.n), [...xs].sort((a, c) => a.n - c.n).slice(0, k));
      await same(b.pluck('n').topk(k), byN.map((r) => r.n));
    }), RUNS);
  });

  it('foldby with and without initial values, keeping order for non-commutative folds', async () => {
    const words = fc.array(fc.constantFrom('apple', 'avocado', 'banana', 'blueberry', 'cherry'), { maxLength: 60 });
    await fc.assert(fc.asyncProperty(words, parts, async (xs, p) => {
      const b = bag.fromItems(xs, { partitions: p });
      const groups = new Map<string, string[]>();
      for (const w of xs) groups.set(w[0], [...(groups.get(w[0]) ?? []), w]);
      const ref = [...groups].map(([k, ws]) => [k, ws.join('|')]);
      // from the first item, combine = binop (string concatenation: only right if order is kept)
      await same(b.foldby((w: string) => w[0], (acc: string, w: string) => `${acc}|${w}`), ref);
      // from an initial value, combining partials with their own operator and initial
      await same(
        b.foldby((w: string) => w[0], (acc: string[], w: string) => { acc.push(w); return acc; }, [] as string[], (x: string[], y: string[]) => x.concat(y), [] as string[]),
        [...groups].map(([k, ws]) => [k, ws]),
      );
      // combine defaults to binop, which here would add 1 per partial: counting needs its own combine
      await same(b.foldby((w: string) => w.length, (n: number) => n + 1, 0, (x: number, y: number) => x + y), distinctRef(xs.map((w) => w.length)).map((l) => [l, xs.filter((w) => w.length === l).length]));
    }), RUNS);
  });

  it('verbs after a reduction start a new stage over its output', async () => {
    await fc.assert(fc.asyncProperty(items, parts, async (xs, p) => {
      const b = bag.fromItems(xs, { partitions: p }).frequencies().filter(([, n]) => n > 1).map(([v]) => v);
      await same(b, freqRef(xs).filter(([, n]) => n > 1).map(([v]) => v));
      await same(bag.fromItems(xs, { partitions: p }).distinct().count(), distinctRef(xs).length);
    }), RUNS);
  });

  it('distinct by key keeps the first item per key; pluck of several keys gives tuples', async () => {
    const xs = [{ a: 1, b: 'x' }, { a: 2, b: 'x' }, { a: 1, b: 'y' }, { a: 3, b: 'y' }];
    await same(bag.fromItems(xs, { partitions: 3 }).distinct('b'), [xs[0], xs[2]]);
    await same(bag.fromItems(xs, { partitions: 2 }).distinct((o: { a: number }) => o.a % 2), [xs[0], xs[1]]);
    await same(bag.fromItems(xs).pluck(['b', 'a']), xs.map((o) => [o.b, o.a]));
  });

  it('async functions, empty bags, JS values that JSON cannot carry', async () => {
    await same(bag.fromItems([3, 1, 2], { partitions: 2 }).map(async (x: number) => { await new Promise((r) => setTimeout(r, x)); return x * 2; }), [6, 2, 4]);
    await same(bag.fromItems([]).map((x) => x), []);
    await same(bag.fromItems([]).count(), 0);
    await same(bag.fromItems([]).frequencies(), []);
    const odd = [new Date(5), 10n, new Map([[1, 'a']]), undefined, NaN, new Set([1])];
    await same(bag.fromItems(odd, { partitions: 4 }).map((x) => x), odd);
    await same(bag.fromItems([NaN, NaN, 0, -0, 10n, 10n]).frequencies(), [[NaN, 2], [0, 2], [10n, 2]]);
  });

  it('splits items evenly into the requested partitions', () => {
    expect(bag.fromItems([1, 2, 3, 4, 5], { partitions: 2 }).npartitions).toBe(2);
    expect(bag.fromItems([1, 2], { partitions: 8 }).npartitions).toBe(2);
    expect(() => bag.fromItems([1], { partitions: 0 })).toThrow(/partitions/);
    expect(() => bag.fromItems('abc' as never)).toThrow(/array or another iterable/);
    expect(() => bag.fromItems([1]).topk(-1)).toThrow(/non-negative integer/);
  });
});
