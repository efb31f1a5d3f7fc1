/** Worker-thread entry for the threads scheduler (piscina). */
import { threadId } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { readerFor } from '../../io/registry.js';
import type { SourceFormat } from '../../io/source.js';
import { executeDrain, executeTask, resultTransferList, type DrainRequest, type Task } from './task.js';

/**
 * A task, a request for the word counts the thread kept for a query, or a request to load
 * reader code ahead of the first query (see `ts.startWorkers`).
 */
export type WorkerRequest = Task | DrainRequest | { preload: SourceFormat[] };

export default async function run(req: WorkerRequest): Promise<unknown> {
  if ('preload' in req) {
    await Promise.all(req.preload.map(async (f) => (await readerFor(f)).warm?.()));
    return threadId;
  }
  const r = 'drain' in req ? executeDrain(req, threadId) : await executeTask(req, threadId);
  const transfer = resultTransferList(r);
  return Piscina.move({
    [Piscina.transferableSymbol]: transfer,
    [Piscina.valueSymbol]: r,
  } as never);
}
