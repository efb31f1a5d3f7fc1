/**
 * Runs array tasks with a bounded window: in this thread for the `sync` scheduler, on a piscina
 * pool of its own (entry `planner/scheduler/array-worker.js`) for `threads`. Results are handed
 * to `onResult` as they finish; the caller decides order where order matters.
 */
import { Piscina } from 'piscina';
import { resolveSettings, type Settings, type SettingsInput } from '../config.js';
import { deserializeError, NotImplementedError, WorkerError } from '../errors.js';
import { distFile } from '../paths.js';
import { executeArrayTask, type ArrayResult, type ArrayTask } from '../../ops/kernels/array/task.js';
import type { ArrayWorkerReply } from '../../planner/scheduler/array-worker.js';
import { localize } from './localize.js';

/**
 * Per-call execution options, merged over `ts.config()`. Arrays run on the `sync` and `threads`
 * schedulers; `memoryLimit` and `spillDir` decide where a frame column read for an array goes
 * (memory up to 1/16 of the limit and at most 32 MiB, else a temporary file under `spillDir`).
 * @example await a.compute({ scheduler: 'threads', workers: 2, memoryLimit: '2GiB' })
 */
export type ArrayRunOptions = Pick<SettingsInput, 'scheduler' | 'workers' | 'memoryLimit' | 'spillDir'>;

let pool: Piscina | undefined;
let poolSize = 0;

function getPool(workers: number): Piscina {
  if (pool && poolSize === workers) return pool;
  if (pool) void pool.destroy();
  pool = new Piscina({ filename: distFile('planner/scheduler/array-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 500 });
  poolSize = workers;
  return pool;
}

/**
 * Stops the array worker pool (tests and short scripts call it so the process can exit at once).
 * @example await ts.array.shutdownArrayWorkers();
 */
export async function shutdownArrayWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}

/**
 * Settings for one call.
 * @example settingsFor({ scheduler: 'sync' }).scheduler // 'sync'
 */
export function settingsFor(opts: ArrayRunOptions = {}): Settings {
  const s = resolveSettings(opts);
  if (s.scheduler !== 'sync' && s.scheduler !== 'threads') {
    throw new NotImplementedError(`scheduler '${s.scheduler}' is not available for arrays yet; use 'threads' or 'sync'`);
  }
  return s;
}

async function runOne(t: ArrayTask, s: Settings): Promise<ArrayResult> {
  if (s.scheduler === 'sync') return executeArrayTask(t);
  const shipped = { ...t, node: localize(t.node, t.box) } as ArrayTask;
  let reply: ArrayWorkerReply;
  try {
    reply = (await getPool(s.workers).run(shipped)) as ArrayWorkerReply;
  } catch (e) {
    throw new WorkerError(`array ${t.kind} task on box [${t.box.start.join(',')}]..[${t.box.stop.join(',')}] failed: ${(e as Error).message}`, { cause: e });
  }
  if (!reply.ok) throw deserializeError(reply.error);
  return reply.result;
}

/**
 * Runs `tasks` (pulled lazily, so only the window's worth exist at once) and passes each result
 * with its position to `onResult`.
 * @example
 * await runArrayTasks(tasks, settingsFor({ scheduler: 'sync' }), (i, r) => { ... });
 */
export async function runArrayTasks(tasks: Iterable<ArrayTask>, s: Settings, onResult: (i: number, r: ArrayResult) => void): Promise<void> {
  const window = s.scheduler === 'sync' ? 1 : 2 * s.workers;
  const it = tasks[Symbol.iterator]();
  let next = 0;
  let failed: unknown;
  const lane = async (): Promise<void> => {
    for (;;) {
      if (failed !== undefined) return;
      const step = it.next();
      if (step.done) return;
      const i = next++;
      try {
        onResult(i, await runOne(step.value, s));
      } catch (e) {
        if (failed === undefined) failed = e;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  if (failed !== undefined) throw failed;
}
