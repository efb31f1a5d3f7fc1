/**
 * Errors thrown by user functions, reported as WorkerErrors that say which step failed, on
 * which item, and why, with the original error kept as `cause`.
 */
import { WorkerError } from '../errors.js';

const SNIPPET = 200;

/**
 * A short, one-line rendering of a value for messages: JSON when possible, cut to ~200 chars.
 * @example describeValue({ a: 1 }) // '{"a":1}'
 */
export function describeValue(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined'
      : typeof v === 'function' ? `[function ${v.name || 'anonymous'}]`
      : typeof v === 'bigint' ? `${v}n`
      : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}...` : s;
}

/**
 * Where an item sits in its bag: partition and index within it (for messages).
 * @example const at: ItemLocation = { seq: 2, index: 0 };
 */
export interface ItemLocation { seq: number; index: number }

/**
 * The message of whatever was thrown (users throw strings too).
 * @example causeMessage('oops') // 'oops'
 */
export const causeMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The WorkerError for a user function that threw.
 * @example
 * throw userError('map #1', item, { seq: 0, index: 3 }, err);
 * // WorkerError: map #1 failed on item {"x":1} (partition 0, item 3): boom
 */
export function userError(step: string, item: unknown, at: ItemLocation | undefined, cause: unknown): WorkerError {
  const where = at ? ` (partition ${at.seq}, item ${at.index})` : '';
  return new WorkerError(`${step} failed on item ${describeValue(item)}${where}: ${causeMessage(cause)}`, { cause });
}

/**
 * True for promises and other thenables (user functions may be async).
 * @example isThenable(Promise.resolve(1)) // true
 */
export const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
