/** One delayed call, as run in a worker: the function rebuilt from its source, applied to resolved arguments. */
import { rebuildFunction, type ShippedFn } from '../udf/rebuild.js';
import { causeMessage, describeValue } from '../udf/user-error.js';
import { WorkerError } from '../errors.js';

/**
 * A call whose arguments are already values (the results of the tasks it depended on).
 * @example const t: CallTask = { kind: 'call', label: 'delayed task add #1', fn: shipFunction((a, b) => a + b, 'x'), args: [1, 2] };
 */
export interface CallTask {
  kind: 'call';
  /** names the task in messages, e.g. `delayed task inc #3` */
  label: string;
  fn: ShippedFn;
  args: unknown[];
  /** present when the user gave `{ context }`: passed as one more, last, argument */
  context?: { value: unknown };
}

/**
 * Runs a call; a throwing function becomes a WorkerError naming the task and its arguments.
 * @example await runCall({ kind: 'call', label: 'delayed task add #1', fn, args: [1, 2] }) // 3
 */
export async function runCall(t: CallTask): Promise<unknown> {
  const f = rebuildFunction(t.fn);
  const args = t.context ? [...t.args, t.context.value] : t.args;
  try {
    return await f(...args);
  } catch (e) {
    throw new WorkerError(`${t.label} failed on arguments ${describeValue(t.args)}: ${causeMessage(e)}`, { cause: e });
  }
}
