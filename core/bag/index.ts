/**
 * Bags (dask.bag-like): lazy, partitioned collections of arbitrary JS values whose user
 * functions run in worker threads.
 * @example
 * import * as ts from 'tessera';
 * const top = await ts.bag.readText('corpus/*.txt')
 *   .flatMap((line) => line.toLowerCase().split(/\W+/)).filter((w) => w.length > 0)
 *   .frequencies().topk(10, 1).compute();
 */
import { fromItems, readText } from './sources.js';
import { shutdownBagWorkers } from '../udf/run.js';

export { Bag, type FnOptions, type KeyArg } from './bag.js';
export { BagItem } from './item.js';
export { fromItems, readText, type ReadTextOptions } from './sources.js';
export { materializeBagSources, type PendingSourceRef } from './frame.js';
export type { FieldKey } from './plan.js';
export { shutdownBagWorkers, type UdfRunOptions as BagRunOptions } from '../udf/run.js';

/**
 * `ts.bag`: bag constructors, and the switch to stop the bag/delayed worker pool.
 * @example
 * const b = ts.bag.fromItems([1, 2, 3], { partitions: 2 });
 * await ts.bag.shutdownBagWorkers();
 */
export const bag = { readText, fromItems, shutdownBagWorkers };
