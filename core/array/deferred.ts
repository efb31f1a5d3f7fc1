/**
 * Arrays whose length is known only once a frame has run: `fromColumn` over a CSV file or a
 * filtered frame, and everything built on such an array. Like dask's unknown chunks, their
 * unknown axes read as NaN in `shape` and `chunks`. Each operation on one records how to redo
 * itself; `compute()` / `toNpy()` first read the columns (learning their lengths), then replay
 * the operations on the now-known arrays, so shape errors of such arrays surface there.
 */
import type { LazyArray } from './lazy-array.js';
import type { ArraySession } from './session.js';

/**
 * How a deferred array is built once the arrays it depends on are known.
 * @example const d: Deferred = { inputs: [a], make: ([x]) => x.mul(2) };
 */
export interface Deferred {
  /** Arrays this one is built from (deferred or not). */
  inputs: LazyArray[];
  /** The same operation on the known inputs. */
  make(inputs: LazyArray[], session: ArraySession): LazyArray | Promise<LazyArray>;
}

/**
 * `a` with every length known: reads the columns it depends on (once per session) and replays
 * the operations built on them. Arrays shared by several outputs are realized once, so shared
 * subexpressions stay shared.
 * @example
 * const known = await realize(a, session); known.shape // [1234]
 */
export function realize(a: LazyArray, session: ArraySession): Promise<LazyArray> {
  const d = a.deferred;
  if (!d) return Promise.resolve(a);
  let p = session.realized.get(a);
  if (!p) {
    p = Promise.all(d.inputs.map((x) => realize(x, session))).then((xs) => d.make(xs, session));
    session.realized.set(a, p);
  }
  return p;
}

/**
 * The shape a broadcast of `shapes` will have, where NaN marks a length not known yet: a known
 * size other than 1 wins (a mismatch is reported when the lengths are known), else NaN.
 * @example
 * broadcastHint([[NaN], [1]]) // [NaN]
 */
export function broadcastHint(shapes: readonly (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: n }, (_, d) => {
    const dims = shapes.map((s) => s[d - (n - s.length)] ?? 1);
    const known = dims.filter((x) => !Number.isNaN(x) && x !== 1);
    if (dims.some(Number.isNaN)) return known.length ? known[0] : NaN;
    return known[0] ?? 1;
  });
}
