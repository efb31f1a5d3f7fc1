/** Worker-thread entry for the threads scheduler (piscina). */
import { threadId } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { executeTask, resultTransferList, type Task } from './task.js';

export default async function run(task: Task): Promise<unknown> {
  const r = await executeTask(task, threadId);
  const transfer = resultTransferList(r);
  return Piscina.move({
    [Piscina.transferableSymbol]: transfer,
    [Piscina.valueSymbol]: r,
  } as never);
}
