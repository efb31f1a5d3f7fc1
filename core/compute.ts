/**
 * compute(a, b, ...): several outputs answered together. LazyFrames run as one query, each
 * shared source read once; bags and delayed tasks run together on the task pool (a task
 * shared by several outputs runs once); LazyArrays compute alongside.
 */
import type * as arrow from 'apache-arrow';
import { PlanError } from './errors.js';
import { LazyFrame } from './lazyframe.js';
import { run, type QueryMetrics, type RunOptions } from './query.js';
import { batchesToTable } from './arrow.js';
import { batchSchema } from './types.js';
import { LazyArray } from './array/lazy-array.js';
import { computeAll, isComputable, type Computable } from './delayed/index.js';

/** What compute() returns for one argument. */
export type ComputedValue<T> = T extends LazyFrame ? arrow.Table
  : T extends { compute(...a: never[]): Promise<infer R> } ? R : never;

/** Results of compute(), in argument order; `metrics` (of the frames' query) is set when `{ metrics: true }` was passed. */
export type ComputeResult<T extends unknown[] = LazyFrame[]> = { [K in keyof T]: ComputedValue<T[K]> } & { metrics?: QueryMetrics };

const isOutput = (x: unknown): boolean => x instanceof LazyFrame || x instanceof LazyArray || isComputable(x);

/**
 * Computes several LazyFrames (one pass over the sources they share), LazyArrays, Bags, bag
 * items and delayed tasks. A trailing plain object holds options (settings overrides,
 * `metrics: true`).
 * @example
 * const df = ts.readParquet(path);
 * const [stats, byOrigin] = await ts.compute(
 *   df.select(ts.col('delay').mean(), ts.count()),
 *   df.groupBy('origin').agg({ n: ts.count() }),
 * );
 */
export async function compute<T extends unknown[]>(...args: T): Promise<ComputeResult<T>> {
  const list: unknown[] = [...args];
  let opts: RunOptions = {};
  if (list.length && !isOutput(list[list.length - 1])) opts = (list.pop() ?? {}) as RunOptions;
  list.forEach((x, i) => {
    if (!isOutput(x)) throw new PlanError(`compute(): argument ${i + 1} is not a LazyFrame, LazyArray, Bag or delayed task`);
  });
  const out: unknown[] = new Array(list.length);
  const frames = list.flatMap((x, i) => (x instanceof LazyFrame ? [i] : []));
  const arrays = list.flatMap((x, i) => (x instanceof LazyArray ? [i] : []));
  const tasks = list.flatMap((x, i) => (isComputable(x) ? [i] : []));
  let metrics: QueryMetrics | undefined;
  // task and array runs reject schedulers other than sync/threads themselves, with a typed error
  const sub = opts as { scheduler?: 'sync' | 'threads'; workers?: number };
  await Promise.all([
    frames.length ? run(frames.map((i) => (list[i] as LazyFrame).plan), opts, 'compute').then((r) => {
      r.batches.forEach((b, j) => { out[frames[j]] = batchesToTable([b], batchSchema(b)); });
      metrics = r.metrics;
    }) : undefined,
    tasks.length ? computeAll(tasks.map((i) => list[i] as Computable), sub).then((vs) => vs.forEach((v, j) => { out[tasks[j]] = v; })) : undefined,
    ...arrays.map(async (i) => { out[i] = await (list[i] as LazyArray).compute(sub); }),
  ]);
  const result = out as ComputeResult<T>;
  if (opts.metrics && metrics) result.metrics = metrics;
  return result;
}
