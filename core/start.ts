/** Starting the engine ahead of the first query. */
import { resolveSettings } from './config.js';
import type { SourceFormat } from '../io/source.js';
import { startPool } from '../planner/scheduler/pool.js';
import { warmUp } from './warm-up.js';

/** Options of {@link startWorkers}. */
export interface StartOptions {
  /** worker threads (default: the `workers` setting) */
  workers?: number;
  /** readers to load in every thread (default: all) */
  formats?: SourceFormat[];
  /**
   * run a small report over a generated sample in each format that has one (Parquet, CSV), so
   * the first query finds the decode and aggregation code compiled (default true; here ~0.25 s
   * for Parquet, ~0.5-0.7 s for Parquet and CSV)
   */
  warmUp?: boolean;
}

/**
 * Starts the worker pool now, loads the readers' code in every thread and, unless
 * `warmUp: false`, warms it up (core/warm-up.ts), so that the first query does not pay for
 * thread start-up, module loading and the JIT's first compiles. A long-running service calls
 * this once at start. Returns the formats whose warm-up ran in this call (a pool warms up once
 * per format; a pool of another size starts over).
 * @example await ts.startWorkers({ workers: 2, formats: ['parquet', 'csv'] }) // { warmedUp: ['parquet', 'csv'] }
 */
export async function startWorkers(opts: StartOptions = {}): Promise<{ warmedUp: SourceFormat[] }> {
  const s = resolveSettings({ workers: opts.workers });
  const formats = opts.formats ?? ['csv', 'parquet', 'arrow', 'text', 'json'];
  const pool = await startPool(s.workers, formats);
  if (opts.warmUp === false) return { warmedUp: [] };
  // a pool warms up once per format: calling this again costs only what is new
  if (warmedPool !== pool) { warmedPool = pool; warmed.clear(); }
  const done = await warmUp(formats.filter((f) => !warmed.has(f)), s.workers);
  for (const f of done) warmed.add(f);
  return { warmedUp: done };
}

/** The pool the warm-up ran on (planner/scheduler/pool.ts numbers them), and its formats. */
let warmedPool = 0;
const warmed = new Set<SourceFormat>();
