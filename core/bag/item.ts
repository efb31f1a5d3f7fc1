/** A single lazy value computed from a bag (e.g. `count()`). */
import type { UdfRunOptions } from '../udf/run.js';
import type { Bag } from './bag.js';

/**
 * A lazy scalar: `compute()` runs the bag behind it and gives its one value.
 * @example const n: number = await ts.bag.fromItems([1, 2, 3]).count().compute();
 */
export class BagItem<T> {
  /** `bag` is a reduced bag with exactly one output item. */
  constructor(readonly bag: Bag<unknown>) {}

  /**
   * Runs the bag and returns the value.
   * @example await b.count().compute({ scheduler: 'sync' })
   */
  async compute(opts?: UdfRunOptions): Promise<T> {
    const [v] = await this.bag.compute(opts);
    return v as T;
  }
}
