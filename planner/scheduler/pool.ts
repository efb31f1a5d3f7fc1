/**
 * Schedulers. `sync` runs every task in this thread, one at a time; `threads` runs them on a
 * piscina pool of worker threads that load the compiled worker entry from dist/.
 * 'processes' and 'distributed' are accepted names that are not provided yet.
 */
import { Piscina } from 'piscina';
import { NotImplementedError } from '../../core/errors.js';
import { resolveSettings, type Settings } from '../../core/config.js';
import type { SourceFormat } from '../../io/source.js';
import { distFile } from '../../core/paths.js';
import { readerFor } from '../../io/registry.js';
import { executeTask, type Task, type TaskResult } from './task.js';

let pool: Piscina | undefined;
let poolSize = 0;

function getPool(workers: number): Piscina {
  if (pool && poolSize === workers) return pool;
  if (pool) void pool.destroy();
  pool = new Piscina({
    filename: distFile('planner/scheduler/worker.js'),
    minThreads: workers, maxThreads: workers, idleTimeout: 500,
    // the stage's window bounds tasks in flight; tasks of an abandoned stream (a consumer that
    // stopped early) may still be queued and must not make the next query fail
    maxQueue: Infinity,
  });
  poolSize = workers;
  return pool;
}

/** Tasks in flight at once for these settings (backpressure window). */
export const windowFor = (s: Settings): number => (s.scheduler === 'sync' ? 1 : 2 * s.workers);

export function runTask(task: Task, s: Settings): Promise<TaskResult> {
  if (s.scheduler === 'processes' || s.scheduler === 'distributed') {
    throw new NotImplementedError(`scheduler '${s.scheduler}' is not available yet; use 'threads' or 'sync'`);
  }
  if (s.scheduler === 'sync' || task.source.format === 'memory') return executeTask(task);
  return getPool(s.workers).run(task) as Promise<TaskResult>;
}

/**
 * Starts the worker threads now and loads the readers for `formats` in each, and in this
 * thread (which plans queries with them: reading a Parquet footer), so the first query does
 * not pay for thread start-up and module loading (a long-running service calls this once at
 * start). Loading the Parquet reader here took 30-40 ms of a first q1 query of ~250 ms.
 * @example await ts.startWorkers({ workers: 2, formats: ['parquet', 'csv'] })
 */
export async function startWorkers(opts: { workers?: number; formats?: SourceFormat[] } = {}): Promise<void> {
  const s = resolveSettings({ workers: opts.workers });
  const p = getPool(s.workers);
  const formats = opts.formats ?? ['csv', 'parquet', 'arrow', 'text', 'json'];
  // one preload per thread: piscina hands concurrent tasks to idle threads first
  await Promise.all([
    ...Array.from({ length: s.workers }, () => p.run({ preload: formats })),
    ...formats.map((f) => readerFor(f)),
  ]);
}

/** Stops the worker pool (it is also stopped by process exit). */
export async function shutdown(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}
