/** compute(a, b, ...): several outputs answered together, each shared source read once. */
import type * as arrow from 'apache-arrow';
import { PlanError } from './errors.js';
import { LazyFrame } from './lazyframe.js';
import { run, type QueryMetrics, type RunOptions } from './query.js';
import { batchesToTable } from './arrow.js';
import { batchSchema } from './types.js';

/** Results of compute(), in argument order; `metrics` is set when `{ metrics: true }` was passed. */
export type ComputeResult = arrow.Table[] & { metrics?: QueryMetrics };

/**
 * Computes several LazyFrames in ONE pass over the sources they share.
 * A trailing plain object holds options (settings overrides, `metrics: true`).
 * @example
 * const df = ts.readParquet(path);
 * const [stats, byOrigin] = await ts.compute(
 *   df.select(ts.col('delay').mean(), ts.count()),
 *   df.groupBy('origin').agg({ n: ts.count() }),
 * );
 */
export async function compute(...args: (LazyFrame | RunOptions)[]): Promise<ComputeResult> {
  let opts: RunOptions = {};
  if (args.length && !(args[args.length - 1] instanceof LazyFrame)) opts = args.pop() as RunOptions;
  const frames = args as LazyFrame[];
  frames.forEach((f, i) => { if (!(f instanceof LazyFrame)) throw new PlanError(`compute(): argument ${i + 1} is not a LazyFrame`); });
  if (!frames.length) return [] as ComputeResult;
  const { batches, metrics } = await run(frames.map((f) => f.plan), opts, 'compute');
  const out = batches.map((b) => batchesToTable([b], batchSchema(b))) as ComputeResult;
  if (opts.metrics) out.metrics = metrics;
  return out;
}
