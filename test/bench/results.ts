/** Results of one benchmark run, grouped by case and engine, and their statistics. */
import type { ChildResult, ChildSuccess } from './protocol.js';
import type { BenchCase } from './workloads.js';

/** Every run of one engine on one case, in run order. */
export interface EngineRuns {
  peer: string;
  runs: ChildResult[];
}

/** All engines' runs of one case. */
export interface CaseResults {
  case: BenchCase;
  path: string;
  engines: EngineRuns[];
}

/** The successful runs of an engine. */
export function successes(e: EngineRuns): ChildSuccess[] {
  return e.runs.filter((r): r is ChildSuccess => r.ok);
}

/** The median of `values` (the mean of the middle two for an even count), undefined when empty. */
export function median(values: number[]): number | undefined {
  const t = [...values].sort((a, b) => a - b);
  if (!t.length) return undefined;
  const m = t.length >> 1;
  return t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2;
}

/** Median wall time of the successful runs, undefined when there is none. */
export function medianSeconds(e: EngineRuns): number | undefined {
  return median(successes(e).map((r) => r.seconds));
}

/** Largest peak RSS over the successful runs. */
export function peakRssMB(e: EngineRuns): number | undefined {
  const s = successes(e);
  return s.length ? Math.max(...s.map((r) => r.maxRssMB)) : undefined;
}

/** First failure of an engine, if it never succeeded. */
export function failure(e: EngineRuns): Extract<ChildResult, { ok: false }> | undefined {
  if (successes(e).length) return undefined;
  return e.runs.find((r): r is Extract<ChildResult, { ok: false }> => !r.ok);
}
