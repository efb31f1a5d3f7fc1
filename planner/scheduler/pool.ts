/**
 * Schedulers. `sync` runs every task in this thread, one at a time; `threads` runs them on a
 * piscina pool of worker threads that load the compiled worker entry from dist/.
 * 'processes' and 'distributed' are accepted names that are not provided yet.
 */
import { Piscina } from 'piscina';
import { NotImplementedError } from '../../core/errors.js';
import type { Settings } from '../../core/config.js';
import type { SourceFormat } from '../../io/source.js';
import { distFile } from '../../core/paths.js';
import { readerFor } from '../../io/registry.js';
import { executeDrain, executeTask, type DrainRequest, type Task, type TaskResult } from './task.js';

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/** The thread a request is addressed to, if any (a symbol key: it does not travel with the request). */
const TARGET = Piscina.queueOptionsSymbol;

/**
 * An idle thread; a request addressed to one thread waits until that thread is idle (a
 * thread that is gone lets any thread answer, which the caller detects).
 */
const balance: Balancer = (task, workers) => {
  const want = ((task as unknown as Record<symbol, unknown>)[TARGET] as { thread?: number } | null)?.thread;
  const live = workers.filter((w) => !w.terminating && !w.destroyed);
  const target = want === undefined ? undefined : live.find((w) => w.id === want);
  if (target) return target.currentUsage === 0 ? target : null;
  return live.find((w) => w.currentUsage === 0) ?? live.find((w) => w.currentUsage < QUEUED) ?? null;
};

/**
 * Requests a thread holds at once: the one it runs and one queued behind it (worker.ts runs
 * them one after another). A thread that finishes a task starts its next one from its own
 * port, without waiting for this thread to handle the result and hand out more work.
 */
const QUEUED = 2;

let pool: Piscina | undefined;
let poolSize = 0;
/** Counts the pools created, so callers can tell a new pool from the one they prepared. */
let poolsCreated = 0;

function getPool(workers: number): Piscina {
  if (pool && poolSize === workers) return pool;
  if (pool) void pool.destroy();
  pool = new Piscina({
    filename: distFile('planner/scheduler/worker.js'),
    minThreads: workers, maxThreads: workers, idleTimeout: 500, concurrentTasksPerWorker: QUEUED,
    // the stage's window bounds tasks in flight; tasks of an abandoned stream (a consumer that
    // stopped early) may still be queued and must not make the next query fail
    maxQueue: Infinity,
    loadBalancer: balance,
    // a task no thread can take now stays at the head of the queue (by default it goes to the
    // tail): threads then take a stage's partitions in order, which word counts kept in a
    // thread rely on (planner/scheduler/resident.ts), and a request waiting for its thread
    // does not let later tasks overtake it
    stricterFIFO: true,
  });
  poolSize = workers;
  poolsCreated++;
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
 * Asks thread `thread` (0: this thread) for the word counts it kept for a query
 * (planner/scheduler/resident.ts); the answer names the thread that gave it.
 */
export function runDrain(thread: number, req: DrainRequest, s: Settings): Promise<TaskResult> {
  if (thread === 0 || s.scheduler === 'sync' || !pool) return Promise.resolve(executeDrain(req));
  return pool.run({ ...req, [TARGET]: { thread } }) as Promise<TaskResult>;
}

/** Ids of the threads that run tasks for these settings: this one (0) and the pool's. */
export function allThreads(s: Settings): number[] {
  return s.scheduler === 'sync' || !pool ? [0] : [0, ...pool.threads.map((w) => w.threadId)];
}

/**
 * Starts the worker threads now and loads the readers for `formats` in each, and in this
 * thread (which plans queries with them: reading a Parquet footer), so the first query does
 * not pay for thread start-up and module loading. Loading the Parquet reader here took
 * 30-40 ms of a first q1 query of ~250 ms. `ts.startWorkers` (core/start.ts) calls this.
 * Returns the pool's number (a pool replaced by one of another size gets a new number).
 */
export async function startPool(workers: number, formats: readonly SourceFormat[]): Promise<number> {
  const p = getPool(workers);
  // one preload addressed to each thread (an idle thread takes any request first, but a
  // thread that is not ready yet would leave both to the other)
  await Promise.all([
    ...p.threads.map((w) => p.run({ preload: formats, [TARGET]: { thread: w.threadId } })),
    ...formats.map((f) => readerFor(f)),
  ]);
  return poolsCreated;
}

/** Stops the worker pool (it is also stopped by process exit). */
export async function shutdown(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}
