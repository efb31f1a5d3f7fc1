/** Shipping user functions: captured variables are refused up front, naming them; everything scoped inside the function is fine. */
import { afterAll, describe, expect, it } from 'vitest';
import { PlanError } from '../../core/errors.js';
import { shipFunction } from '../../core/udf/ship.js';
import { rebuildFunction } from '../../core/udf/rebuild.js';
import { bag, shutdownBagWorkers } from '../../core/bag/index.js';
import { delayed, map } from '../../core/delayed/index.js';

afterAll(() => shutdownBagWorkers());

/** The names a PlanError says are captured, or [] when the function ships. */
function captured(fn: unknown): string[] {
  try {
    shipFunction(fn, 'test()');
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    return [...(e as Error).message.matchAll(/"([^"]+)"/g)].map((m) => m[1]).filter((n) => !n.includes(' '));
  }
}

const k = 2, total = 0, key = 'a', t = 1, a = 0, helper = (x: number) => x;

describe('closure detection', () => {
  it('names an outer variable and points to { context }', async () => {
    expect(() => bag.fromItems([1]).map((x: number) => x * k)).toThrow(PlanError);
    try { bag.fromItems([1]).map((x: number) => x * k); } catch (e) {
      expect((e as Error).message).toMatch(/"k"/);
      expect((e as Error).message).toMatch(/context/);
      expect((e as Error).message).toMatch(/bag\.map\(\)/);
    }
    expect(() => delayed((x: number) => x + k)).toThrow(/"k"/);
    await expect(map((x: number) => helper(x), [1])).rejects.toThrow(/"helper"/);
  });

  it('flags every kind of outer reference', () => {
    expect(captured((x: number) => x * k)).toEqual(['k']);
    expect(captured((x: number) => { (globalThis as { q?: number }).q = total + x; })).toEqual(['total']);
    expect(captured((o: Record<string, number>) => o[key])).toEqual(['key']);
    expect(captured(() => ({ k }))).toEqual(['k']);
    expect(captured((x = k) => x)).toEqual(['k']);
    expect(captured(() => `${k}`)).toEqual(['k']);
    expect(captured(() => typeof k)).toEqual(['k']);
    expect(captured(() => { { const t = 1; void t; } return t; })).toEqual(['t']);
    expect(captured((x: number[]) => { let a2; [a2, a] = x as [number, number]; return a2; })).toEqual(['a']);
    expect(captured(() => helper(k))).toEqual(['helper', 'k']);
    // in an arrow, `arguments` belongs to the enclosing function, which is not shipped
    expect(captured(() => arguments.length)).toEqual(['arguments']);
  });

  it('accepts globals, params, destructuring, inner functions, shadowing and hoisting', () => {
    const ok = [
      (x: number) => Math.max(x, JSON.parse('1'), Number.MAX_SAFE_INTEGER) + parseInt('1') + (console ? 1 : 0),
      ({ a: aa, b: [c, ...rest] = [] }: { a: number; b?: number[] }, [d = aa, , e] = [] as number[], ...more: number[]) => aa + (c ?? 0) + rest.length + d + (e ?? 0) + more.length,
      (x: number) => { const k = 3; return x * k; },
      (x: number) => { const f = (y: number) => y + x; function g(z: number): number { return z > 0 ? g(z - 1) + f(z) : 0; } return g(x); },
      function (this: unknown, x: number) { return arguments.length + x + (this ? 1 : 0); },
      function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); },
      (x: number) => { if (x) { var y = 1; } return y; },
      (x: number) => { try { throw new Error('e'); } catch ({ message }) { return message + x; } },
      (x: number) => { outer: for (const [i, v] of Object.entries([x])) { for (let j = 0; j < 2; j++) { if (j) continue outer; void i; void v; } } return x; },
      (o: { k: number }) => ({ k: o.k, [String(o.k)]: 1, m() { return 1; } }),
      (x: number) => { class P { v = x; get w() { return this.v; } static make(): P { return new P(); } } return P.make().w; },
      (x: number) => { switch (x) { case 1: { const z = 2; return z; } default: { let w = x; w++; return w; } } },
      async (x: number) => { await new Promise((r) => setTimeout(r, 0)); return x; },
      (x: number) => { let u; ({ u } = { u: x }); return u; },
      (x: number) => new Map([[x, Symbol.iterator]]).size + new Date(0).getTime() + Object.keys(process.env).length * 0,
    ];
    for (const f of ok) expect(captured(f), f.toString()).toEqual([]);
  });

  it('ships method shorthand, async, generator and named functions, and runs them rebuilt', async () => {
    const o = { double(x: number) { return x * 2; }, async later(x: number) { return x + 1; }, *gen(x: number) { yield x; yield x; } };
    expect(rebuildFunction(shipFunction(o.double, 't'))(4)).toBe(8);
    expect(await rebuildFunction(shipFunction(o.later, 't'))(4)).toBe(5);
    expect([...(rebuildFunction(shipFunction(o.gen, 't'))(3) as Iterable<number>)]).toEqual([3, 3]);
    function named(x: number) { return x + 10; }
    expect(rebuildFunction(shipFunction(named, 't'))(1)).toBe(11);
    expect(await bag.fromItems([1, 2, 3]).map(o.double).flatMap(o.gen).compute({ scheduler: 'threads', workers: 2 })).toEqual([2, 2, 4, 4, 6, 6]);
  });

  it('refuses native, bound and class values and non-functions with a clear message', () => {
    expect(() => shipFunction(Math.max, 'bag.map()')).toThrow(/native or bound/);
    expect(() => shipFunction(((x: number) => x).bind(null), 'bag.map()')).toThrow(/native or bound/);
    expect(() => shipFunction(class A {}, 'bag.map()')).toThrow(/class/);
    expect(() => shipFunction(42, 'bag.map()')).toThrow(/expects a function, got number/);
    const getter = Object.getOwnPropertyDescriptor({ get g() { return 1; } }, 'g')!.get!;
    expect(() => shipFunction(getter, 'bag.map()')).toThrow(/getter/);
  });

  it('passes values in via { context } (structured-cloned, snapshotted at definition)', async () => {
    const ctx = { k: 3, words: new Set(['a']) };
    const b = bag.fromItems(['a', 'b', 'a', 'c'], { partitions: 2 }).map((w: string, c: typeof ctx) => (c.words.has(w) ? c.k : 0), { context: ctx });
    ctx.k = 100;
    for (const scheduler of ['sync', 'threads'] as const) expect(await b.compute({ scheduler, workers: 2 })).toEqual([3, 0, 3, 0]);
    expect(() => bag.fromItems([1]).map((x) => x, { context: { f: () => 1 } })).toThrow(/context cannot be sent/);
  });
});
