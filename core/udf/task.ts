/**
 * Tasks of the user-function pool and their execution, shared by the worker entry
 * (planner/scheduler/bag-worker.ts) and the `sync` scheduler, so both run the same code.
 */
import type { SerializedError } from '../errors.js';
import { runBagPartition } from '../bag/partition.js';
import type { BagPartitionTask } from '../bag/plan.js';
import { runCall, type CallTask } from '../delayed/call-task.js';

/**
 * Work for the pool: a bag partition or a delayed call. Plain, structured-cloneable data.
 * @example const t: UdfTask = { kind: 'call', label: 'delayed task f #1', fn, args: [1] };
 */
export type UdfTask = BagPartitionTask | CallTask;

/**
 * A task's value, or its error (and the error's cause) serialized to cross the thread boundary.
 * @example const r: UdfReply = { ok: false, error: serializeError(e), cause: serializeError(e.cause) };
 */
export type UdfReply = { ok: true; value: unknown } | { ok: false; error: SerializedError; cause?: SerializedError };

/**
 * Runs one task in this thread.
 * @example await executeUdfTask({ kind: 'call', label: 'delayed task f #1', fn, args: [1] })
 */
export function executeUdfTask(t: UdfTask): Promise<unknown> {
  return t.kind === 'bag' ? runBagPartition(t) : runCall(t);
}
