/** Hash aggregation kernels (Sink / Combine / Finalize). */
export { HashAggregator } from './hash-aggregator.js';
export { aggOutputType, type AggFn, type AggSpec, type AggPlan } from './types.js';
export type { Accumulator } from './accumulator.js';
export { makeAccumulator } from './make-acc.js';
