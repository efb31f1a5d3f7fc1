/**
 * Worker-thread entry for bag partitions, delayed calls and ts.map chunks (piscina). Errors go
 * back as data with their cause, so the coordinator can rebuild both with their classes.
 */
import { serializeError } from '../../core/errors.js';
import { executeUdfTask, type UdfReply, type UdfTask } from '../../core/udf/task.js';

/**
 * Runs one task in this worker thread.
 * @example await pool.run({ kind: 'call', label: 'delayed task f #1', fn, args: [1] })
 */
export default async function run(task: UdfTask): Promise<UdfReply> {
  try {
    return { ok: true, value: await executeUdfTask(task) };
  } catch (e) {
    const cause = e instanceof Error ? e.cause : undefined;
    return { ok: false, error: serializeError(e), cause: cause === undefined ? undefined : serializeError(cause) };
  }
}
