/**
 * The fused per-item chain: each item goes through every step (map, flatMap, filter, pluck)
 * before the next item starts, so a partition never holds intermediate arrays. User functions
 * may be async: the chain waits only when one actually returns a promise, keeping item order.
 */
import { rebuildFunction, type UserFunction } from '../udf/rebuild.js';
import { isThenable, userError, type ItemLocation } from '../udf/user-error.js';
import { getField } from './keys.js';
import type { Step } from './plan.js';

/**
 * Receives each item that comes out of the chain, in order.
 * @example const sink: Sink = (x) => { out.push(x); };
 */
export type Sink = (x: unknown) => void;

type Push = (i: number, x: unknown) => void | Promise<void>;

/**
 * Runs `items` through `steps` into `sink`. `at` is kept up to date with the current source
 * item (for error messages, including those of the sink).
 * @example
 * const out: unknown[] = [];
 * await runChain([1, 2, 3], steps, (x) => out.push(x), { seq: 0, index: 0 });
 */
export async function runChain(items: readonly unknown[], steps: readonly Step[], sink: Sink, at: ItemLocation): Promise<void> {
  const fns: (UserFunction | undefined)[] = steps.map((s) => (s.kind === 'pluck' ? undefined : rebuildFunction(s.fn)));

  /** Continues after step i returned `v` for input `x`. */
  const after = (i: number, x: unknown, v: unknown): void | Promise<void> => {
    const st = steps[i];
    if (st.kind === 'filter') return v ? push(i + 1, x) : undefined;
    if (st.kind === 'flatMap') return spread(i, x, v);
    return push(i + 1, v);
  };

  // Like Array.prototype.flatMap, extended to any iterable except strings; other values pass as one item.
  const spread = (i: number, x: unknown, v: unknown): void | Promise<void> => {
    if (v === null || typeof v !== 'object' || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function') return push(i + 1, v);
    let it: Iterator<unknown>;
    try { it = (v as Iterable<unknown>)[Symbol.iterator](); } catch (e) { throw userError(steps[i].label, x, at, e); }
    const loop = (): void | Promise<void> => {
      for (;;) {
        let n: IteratorResult<unknown>;
        try { n = it.next(); } catch (e) { throw userError(steps[i].label, x, at, e); }
        if (n.done) return;
        const r = push(i + 1, n.value);
        if (isThenable(r)) return Promise.resolve(r).then(loop);
      }
    };
    return loop();
  };

  const push: Push = (i, x) => {
    for (; i < steps.length; i++) {
      const st = steps[i];
      if (st.kind === 'pluck') {
        try { x = getField(x, st.key); } catch (e) { throw userError(st.label, x, at, e); }
        continue;
      }
      let r: unknown;
      try { r = fns[i]!(x, st.context); } catch (e) { throw userError(st.label, x, at, e); }
      if (isThenable(r)) {
        const input = x, step = i;
        return Promise.resolve(r).then((v) => after(step, input, v), (e: unknown) => { throw userError(st.label, input, at, e); });
      }
      if (st.kind === 'map') { x = r; continue; }
      return after(i, x, r);
    }
    sink(x);
  };

  for (let j = 0; j < items.length; j++) {
    at.index = j;
    const r = push(0, items[j]);
    if (isThenable(r)) await r;
  }
}
