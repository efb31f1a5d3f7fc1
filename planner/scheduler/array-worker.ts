/** Worker-thread entry for array tasks (piscina): evaluates one chunk and hands its buffers back without copying. */
import { Piscina } from 'piscina';
import { serializeError, type SerializedError } from '../../core/errors.js';
import { executeArrayTask, resultTransferList, type ArrayResult, type ArrayTask } from '../../ops/kernels/array/task.js';

/**
 * A result, or the error that stopped the task (typed errors keep their class across the thread boundary).
 * @example const reply = (await pool.run(task)) as ArrayWorkerReply;
 */
export type ArrayWorkerReply = { ok: true; result: ArrayResult } | { ok: false; error: SerializedError };

/**
 * Runs one array task in this worker and moves its result buffers back.
 * @example new Piscina({ filename: distFile('planner/scheduler/array-worker.js') }).run(task)
 */
export default function run(task: ArrayTask): unknown {
  try {
    const result = executeArrayTask(task);
    const reply: ArrayWorkerReply = { ok: true, result };
    return Piscina.move({ [Piscina.transferableSymbol]: resultTransferList(result), [Piscina.valueSymbol]: reply } as never);
  } catch (e) {
    const reply: ArrayWorkerReply = { ok: false, error: serializeError(e) };
    return reply;
  }
}
