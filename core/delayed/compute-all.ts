/** What `ts.compute(...)` hands to bags and delayed tasks. */
import { Bag } from '../bag/bag.js';
import { BagItem } from '../bag/item.js';
import type { UdfRunOptions } from '../udf/run.js';
import { computeTasks } from './graph.js';
import { Task } from './task.js';

/**
 * A lazy value of this module family: a Bag (compute gives its items), a BagItem (its value) or a delayed Task.
 * @example const xs: Computable[] = [ts.bag.fromItems([1]), ts.bag.fromItems([1]).count(), ts.delayed((x: number) => x)(1)];
 */
export type Computable = Bag<unknown> | BagItem<unknown> | Task<unknown>;

/**
 * True for bags, bag items and delayed tasks.
 * @example isComputable(ts.delayed((x: number) => x)(1)) // true
 */
export function isComputable(x: unknown): x is Computable {
  return x instanceof Bag || x instanceof BagItem || x instanceof Task;
}

/**
 * Computes several bags/tasks together: delayed tasks shared between them run once.
 * @example const [items, n, v] = await computeAll([bag, bag.count(), task], { scheduler: 'threads' });
 */
export function computeAll(xs: readonly Computable[], opts: UdfRunOptions = {}): Promise<unknown[]> {
  return computeTasks(xs, opts);
}
