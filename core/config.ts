/** Global settings (API.md "Configuration") and per-call overrides. */
import os from 'node:os';
import { PlanError, ResourceError } from './errors.js';

/** Smallest memoryLimit operators can work in (a few blocks of state and spill buffers). */
export const MIN_MEMORY_LIMIT = 4 * 1024 * 1024;

export type SchedulerName = 'sync' | 'threads' | 'processes' | 'distributed';

export interface Settings {
  scheduler: SchedulerName;
  workers: number;
  memoryLimit: number;
  blocksize: number;
  spillDir: string;
  progress: boolean;
}

export interface SettingsInput {
  scheduler?: SchedulerName;
  workers?: number;
  memoryLimit?: number | string;
  blocksize?: number | string;
  spillDir?: string;
  progress?: boolean;
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses '512MiB', '2GiB', '16 MB' or a number of bytes. */
export function parseBytes(v: number | string, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) throw new PlanError(`${what} must be a positive number of bytes, got ${v}`);
    return Math.floor(v);
  }
  const m = /^\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*$/.exec(v);
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new PlanError(`${what}: cannot parse ${JSON.stringify(v)}; use a number of bytes or a size like '512MiB' or '2GiB'`);
  return Math.floor(parseFloat(m[1]) * unit);
}

const defaults = (): Settings => ({
  scheduler: 'threads',
  workers: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
  memoryLimit: Math.floor(os.totalmem() / 2),
  blocksize: 16 * 1024 * 1024,
  spillDir: os.tmpdir(),
  progress: Boolean(process.stderr.isTTY),
});

let current: Settings = defaults();

/** Validates and merges `input` over `base`. */
export function resolveSettings(input: SettingsInput = {}, base: Settings = current): Settings {
  const s = { ...base };
  if (input.scheduler !== undefined) {
    if (!['sync', 'threads', 'processes', 'distributed'].includes(input.scheduler)) {
      throw new PlanError(`unknown scheduler ${JSON.stringify(input.scheduler)}; use 'sync' or 'threads'`);
    }
    s.scheduler = input.scheduler;
  }
  if (input.workers !== undefined) {
    if (!Number.isInteger(input.workers) || input.workers < 1) throw new PlanError(`workers must be a positive integer, got ${input.workers}`);
    s.workers = input.workers;
  }
  if (input.memoryLimit !== undefined) {
    s.memoryLimit = parseBytes(input.memoryLimit, 'memoryLimit');
    if (s.memoryLimit < MIN_MEMORY_LIMIT) {
      throw new ResourceError(`memoryLimit of ${s.memoryLimit} bytes is below the minimum of 4 MiB that operators need to make progress; set memoryLimit to at least '4MiB'`);
    }
  }
  if (input.blocksize !== undefined) s.blocksize = parseBytes(input.blocksize, 'blocksize');
  if (input.spillDir !== undefined) s.spillDir = input.spillDir;
  if (input.progress !== undefined) s.progress = input.progress;
  return s;
}

/**
 * Reads or changes the global settings.
 * @example
 * ts.config({ scheduler: 'threads', workers: 2, memoryLimit: '1GiB' });
 * ts.config().workers // 2
 */
export function config(input?: SettingsInput): Settings {
  if (input) current = resolveSettings(input);
  return { ...current };
}
