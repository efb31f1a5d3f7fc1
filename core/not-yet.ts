/**
 * Names from the API contract that this version does not provide yet. They exist so a caller
 * gets a typed NotImplementedError naming the capability instead of "is not a function".
 */
import { NotImplementedError } from './errors.js';

const missing = (name: string) => (..._args: unknown[]): never => {
  throw new NotImplementedError(`${name} is not available in this version of Tessera`);
};

/** Bags (dask.bag-like): not available yet. */
export const bag = { readText: missing('ts.bag.readText'), fromItems: missing('ts.bag.fromItems') };
/** Delayed tasks: not available yet. */
export const delayed = missing('ts.delayed');
/** Parallel map over items: not available yet. */
export const map = missing('ts.map');
