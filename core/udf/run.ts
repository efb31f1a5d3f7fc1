/**
 * Runs user-function tasks (bag partitions, delayed calls): in this thread for the `sync`
 * scheduler, on a piscina pool of their own (entry `planner/scheduler/bag-worker.js`) for
 * `threads`. Both paths structured-clone what crosses (task in, value out), so the two
 * schedulers see the same copies and give the same answers.
 */
import { Piscina } from 'piscina';
import { resolveSettings, type Settings, type SettingsInput } from '../config.js';
import { deserializeError, NotImplementedError, TesseraError, WorkerError, type SerializedError } from '../errors.js';
import { distFile } from '../paths.js';
import { executeUdfTask, type UdfReply, type UdfTask } from './task.js';

/**
 * Per-call execution options, merged over `ts.config()`.
 * @example await b.compute({ scheduler: 'threads', workers: 4 })
 */
export interface UdfRunOptions { scheduler?: 'sync' | 'threads'; workers?: number }

let pool: Piscina | undefined;
let poolSize = 0;
/**
 * Tasks sent to a pool and not settled yet. A failed compute returns at once and leaves its
 * running tasks to finish; a pool is destroyed only after they do (piscina throws an uncaught
 * error when an answer arrives for a task of a destroyed pool).
 */
const inFlight = new Set<Promise<unknown>>();

const destroyWhenIdle = (p: Piscina): Promise<void> => Promise.allSettled([...inFlight]).then(() => p.destroy());

function getPool(workers: number): Piscina {
  if (pool && poolSize === workers) return pool;
  if (pool) void destroyWhenIdle(pool);
  pool = new Piscina({ filename: distFile('planner/scheduler/bag-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 500, maxQueue: Infinity });
  poolSize = workers;
  return pool;
}

/**
 * Stops the worker pool of bags and delayed tasks (tests and short scripts call it so the
 * process can exit at once; it starts again on the next compute).
 * @example await ts.bag.shutdownBagWorkers();
 */
export async function shutdownBagWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await destroyWhenIdle(p);
}

/**
 * Settings for one call; schedulers other than `sync` and `threads` are not available here.
 * @example udfSettings({ scheduler: 'sync' }).scheduler // 'sync'
 */
export function udfSettings(opts: UdfRunOptions | SettingsInput = {}): Settings {
  const s = resolveSettings(opts as SettingsInput);
  if (s.scheduler !== 'sync' && s.scheduler !== 'threads') {
    throw new NotImplementedError(`scheduler '${s.scheduler}' is not available for bags and delayed tasks yet; use 'threads' or 'sync'`);
  }
  return s;
}

/**
 * Tasks in flight at once (backpressure): 2 x workers, or 1 in this thread.
 * @example windowFor(udfSettings({ workers: 4 })) // 8
 */
export const windowFor = (s: Settings): number => (s.scheduler === 'sync' ? 1 : 2 * s.workers);

const STANDARD: Record<string, new (message: string) => Error> = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

/** Rebuilds a serialized error: Tessera errors with their class, standard JS errors with theirs, others keep their name. */
function rebuildError(s: SerializedError): Error {
  let e = deserializeError(s);
  if (!(e instanceof TesseraError)) {
    const Std = STANDARD[s.name];
    if (Std) { e = Object.assign(new Std(s.message), s.fields); if (s.stack) e.stack = s.stack; }
    else e.name = s.name;
  }
  return e;
}

const sendError = (label: string, e: unknown): WorkerError =>
  new WorkerError(`${label}: its input cannot be sent to a worker thread (it must be structured-cloneable: plain data, no functions): ${(e as Error)?.message ?? e}`, { cause: e });

const returnError = (label: string, e: unknown): WorkerError =>
  new WorkerError(`${label}: its result cannot be sent back from the worker thread (results must be structured-cloneable: plain data, no functions)${e instanceof Error ? `: ${e.message}` : ''}`, { cause: e });

async function runInThread(task: UdfTask): Promise<unknown> {
  let input: UdfTask;
  try { input = structuredClone(task); } catch (e) { throw sendError(task.label, e); }
  const value = await executeUdfTask(input);
  try { return structuredClone(value); } catch (e) { throw returnError(task.label, e); }
}

async function runOnPool(task: UdfTask, workers: number): Promise<unknown> {
  let reply: UdfReply;
  try {
    const running = getPool(workers).run(task);
    inFlight.add(running);
    try { reply = (await running) as UdfReply; } finally { inFlight.delete(running); }
  } catch (e) {
    if (e instanceof Error && e.name === 'DataCloneError') throw sendError(task.label, e);
    // piscina rejects with a bare object when the worker's answer could not be posted
    if (!(e instanceof Error)) throw returnError(task.label, e);
    throw new WorkerError(`${task.label}: the worker failed: ${e.message}`, { cause: e });
  }
  if (reply.ok) return reply.value;
  const err = rebuildError(reply.error);
  if (reply.cause) Object.defineProperty(err, 'cause', { value: rebuildError(reply.cause), writable: true, configurable: true });
  throw err;
}

/**
 * Runs one task with these settings.
 * @example const value = await runUdfTask(task, udfSettings({ scheduler: 'threads', workers: 2 }));
 */
export function runUdfTask(task: UdfTask, s: Settings): Promise<unknown> {
  return s.scheduler === 'sync' ? runInThread(task) : runOnPool(task, s.workers);
}

/**
 * Runs `tasks` (pulled lazily) with at most {@link windowFor} of them started but not yet
 * delivered, and hands each value to `onResult` in task order. A failure is reported in task
 * order too: the error of the earliest failing task, whatever the timing, so both schedulers
 * report the same one. After a failure nothing new starts; running tasks finish on their own
 * and the pool stays usable.
 * @example await runOrdered(tasks, s, (value, i) => merge.add(value));
 */
export function runOrdered(tasks: Iterable<UdfTask>, s: Settings, onResult: (value: unknown, i: number) => void): Promise<void> {
  const window = windowFor(s);
  const it = tasks[Symbol.iterator]();
  return new Promise((resolve, reject) => {
    let next = 0, delivered = 0, exhausted = false, stopping = false, failed = false;
    const ready = new Map<number, { ok: true; value: unknown } | { ok: false; error: unknown }>();
    const fail = (e: unknown): void => { if (!failed) { failed = true; reject(e); } };
    const drain = (): void => {
      while (!failed && ready.has(delivered)) {
        const r = ready.get(delivered)!;
        ready.delete(delivered);
        if (!r.ok) { fail(r.error); return; }
        try { onResult(r.value, delivered); } catch (e) { fail(e); return; }
        delivered++;
      }
    };
    const settle = (i: number, r: { ok: true; value: unknown } | { ok: false; error: unknown }): void => {
      if (!r.ok) stopping = true;
      ready.set(i, r);
      drain();
      pump();
    };
    const pump = (): void => {
      // started but undelivered tasks (running or buffered out of order) stay within the window
      while (!failed && !stopping && !exhausted && next - delivered < window) {
        let step: IteratorResult<UdfTask>;
        try { step = it.next(); } catch (e) { fail(e); return; }
        if (step.done) { exhausted = true; break; }
        const i = next++;
        runUdfTask(step.value, s).then((value) => settle(i, { ok: true, value }), (error: unknown) => settle(i, { ok: false, error }));
      }
      if (!failed && exhausted && delivered === next) resolve();
    };
    pump();
  });
}

/**
 * A counting semaphore: at most `n` bodies run at once (delayed graphs use it for backpressure).
 * @example const limit = limiter(4); await Promise.all(xs.map((x) => limit(() => work(x))));
 */
export function limiter(n: number): <T>(body: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(body: () => Promise<T>): Promise<T> => {
    if (active < n) active++;
    else await new Promise<void>((r) => waiting.push(r)); // the slot is handed over by the body that ends
    try {
      return await body();
    } finally {
      const wake = waiting.shift();
      if (wake) wake(); else active--;
    }
  };
}
