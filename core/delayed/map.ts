/** ts.map: a parallel map over a list, results in input order. */
import { PlanError } from '../errors.js';
import { computeBag } from '../bag/run.js';
import { splitChunks } from '../bag/split.js';
import { udfSettings, type UdfRunOptions } from '../udf/run.js';
import { shipContext, shipFunction } from '../udf/ship.js';

/**
 * Options of ts.map (and the scheduler overrides).
 * @example await ts.map(f, items, { chunksize: 1, context: { k: 2 }, workers: 4 })
 */
export interface MapOptions extends UdfRunOptions {
  /** items per task; default ceil(n / (4 x workers)); 1 hands items out one by one (dynamic load balancing) */
  chunksize?: number;
  /** structured-cloned to the workers and passed as `ctx` */
  context?: unknown;
}

/**
 * Calls `fn(item, ctx)` on every item in worker threads, in chunks, and returns the results in
 * input order. `fn` must not use variables from outside its body (pass them via `context`).
 * @example
 * const squares = await ts.map((x: number) => x * x, [1, 2, 3, 4], { chunksize: 1 }); // [1, 4, 9, 16]
 */
export async function map<T, U, C = any>(fn: (item: T, ctx: C) => U | Promise<U>, items: Iterable<T> | ArrayLike<T>, opts: MapOptions & { context?: C } = {}): Promise<Awaited<U>[]> {
  const shipped = shipFunction(fn, 'ts.map()');
  const context = shipContext(opts.context, 'ts.map()');
  if (items === null || typeof items !== 'object') throw new PlanError(`ts.map() expects an array or another iterable of items, got ${items === null ? 'null' : typeof items}`);
  const list = Array.from(items as Iterable<T>);
  const s = udfSettings(opts);
  const size = opts.chunksize ?? Math.max(1, Math.ceil(list.length / (4 * s.workers)));
  if (!Number.isInteger(size) || size < 1) throw new PlanError(`ts.map(): chunksize must be a positive integer, got ${opts.chunksize}`);
  const plan = {
    source: { kind: 'items' as const, partitions: splitChunks(list, size) },
    steps: [{ kind: 'map' as const, label: 'ts.map', fn: shipped, context }],
    counts: {},
  };
  return computeBag(plan, opts) as Promise<Awaited<U>[]>;
}
