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

/**
 * Detaches a throwaway buffer before any kernel runs. V8 keeps one "no ArrayBuffer was ever
 * detached" assumption per isolate, and optimized code that reads typed arrays depends on it;
 * the first buffer a thread transfers (its first task's result) broke it and deoptimized every
 * kernel compiled during that task (unpackRuns, countRows, usedCodes, ... in a flights report),
 * so each thread compiled them twice. Broken here, it never holds, and nothing is compiled on
 * it: the report's second partition per thread went from 65-85 ms to 25-45 ms, cold.
 */
function breakDetachAssumption(): void {
  const b = new ArrayBuffer(8);
  structuredClone(b, { transfer: [b] });
}
breakDetachAssumption();

/** The end of the request this thread runs last: requests run one after another, never interleaved. */
let last: Promise<unknown> = Promise.resolve();

export default function run(req: WorkerRequest): Promise<unknown> {
  const r = last.then(() => runOne(req));
  last = r.catch(() => undefined);
  return r;
}

async function runOne(req: WorkerRequest): Promise<unknown> {
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
