/**
 * Running queries: bind, optimize, execute, with one query id per call so events, metrics and
 * the progress line can be attributed.
 */
import { resolveSettings, type Settings, type SettingsInput } from './config.js';
import { events, type EngineEvent } from './events.js';
import { showProgress } from './progress.js';
import type { Batch } from './types.js';
import type { LogicalPlan } from '../planner/logical/nodes.js';
import { bind } from '../planner/bind.js';
import { optimize, type RuleSwitches } from '../planner/optimizer/index.js';
import { executePlans } from '../planner/physical/execute.js';
import { lower } from '../planner/physical/lower.js';
import { partitionsFor } from '../planner/scheduler/stage.js';
import { endQueryMemory } from '../planner/physical/memory.js';
import { clearQuerySignal, setQuerySignal } from '../planner/scheduler/cancel.js';

let nextQuery = 1;

/** Figures about one execution, from the engine's events. */
export interface QueryMetrics {
  /** partitions decoded, per source label (a source read once shows each partition once) */
  partitionsRead: Record<string, number>;
  /** partition reads in total */
  partitions: number;
  /** bytes covered by the decoded partitions (CSV byte ranges, Parquet row-group sizes) */
  bytesRead: number;
  rowsRead: number;
  /** distinct worker threads that ran tasks (0 = the coordinator thread) */
  threads: number;
  elapsedMs: number;
  /** invalid UTF-8 sequences replaced by U+FFFD while reading text/JSON sources */
  invalidUtf8: number;
  /** bytes written to spill files (compressed), over all operators */
  spilledBytes: number;
  /** peak bytes accounted on the query's memory ledger (operator state: aggregates, sorts, join builds) */
  peakMemoryBytes: number;
  /** operators that hold memory (join builds, spilling aggregates, sorts): peak accounted bytes and spilling */
  operators: { operator: string; peakBytes: number; spilledBytes: number; partitions: number; runs: number }[];
}

export interface RunOptions extends SettingsInput {
  rules?: RuleSwitches;
  metrics?: boolean;
  /** cancels the run: no more partitions are scheduled, the call rejects with the signal's reason, spill files are removed */
  signal?: AbortSignal;
}

/** Binds and optimizes plans. */
export async function prepare(plans: LogicalPlan[], rules?: RuleSwitches): Promise<LogicalPlan[]> {
  const bound = await Promise.all(plans.map(bind));
  return bound.map((p) => optimize(p, rules));
}

/**
 * Wraps an execution with query events, progress and metrics. A `quiet` query (the engine's
 * own warm-up) emits no events and shows no progress.
 */
export async function withQuery<T>(s: Settings, plans: LogicalPlan[], label: string, body: (query: number) => Promise<T>, signal?: AbortSignal, quiet = false): Promise<{ value: T; metrics: QueryMetrics }> {
  const query = nextQuery++;
  if (quiet) events.mute(query);
  setQuerySignal(query, signal);
  const t0 = performance.now();
  const m: QueryMetrics = { partitionsRead: {}, partitions: 0, bytesRead: 0, rowsRead: 0, threads: 0, elapsedMs: 0, invalidUtf8: 0, spilledBytes: 0, peakMemoryBytes: 0, operators: [] };
  const threads = new Set<number>();
  const off = events.subscribe((e: EngineEvent) => {
    if (e.query !== query) return;
    if (e.type === 'operator-finished') {
      const { operator, peakBytes, spilledBytes, partitions, runs } = e;
      m.operators.push({ operator, peakBytes, spilledBytes, partitions, runs });
      m.spilledBytes += spilledBytes;
      return;
    }
    if (e.type !== 'partition-finished') return;
    m.partitionsRead[e.source] = (m.partitionsRead[e.source] ?? 0) + 1;
    m.partitions++; m.bytesRead += e.bytes; m.rowsRead += e.rowsRead; m.invalidUtf8 += e.invalidUtf8 ?? 0; threads.add(e.thread);
  });
  const stop = s.progress && !quiet ? showProgress(query, label) : undefined;
  events.emitEvent({ type: 'query-start', query, outputs: plans.length, partitions: countPartitions(plans) });
  try {
    const value = await body(query);
    m.elapsedMs = performance.now() - t0; m.threads = threads.size;
    events.emitEvent({ type: 'query-end', query, ms: m.elapsedMs });
    return { value, metrics: m };
  } catch (e) {
    events.emitEvent({ type: 'query-end', query, ms: performance.now() - t0, error: String((e as Error)?.message ?? e) });
    throw e;
  } finally {
    off();
    stop?.();
    m.peakMemoryBytes = endQueryMemory(query);
    clearQuerySignal(query);
    events.unmute(query);
  }
}

/** Partitions the first stage will read (for the progress total): shared sources count once. */
function countPartitions(plans: LogicalPlan[]): number {
  const bySource = new Map<number, Set<number>>();
  for (const p of plans) {
    const l = lower(p);
    const set = bySource.get(l.source.id) ?? new Set<number>();
    for (const x of partitionsFor(l.source, l.pipeline)) set.add(x.seq);
    bySource.set(l.source.id, set);
  }
  let n = 0;
  for (const s of bySource.values()) n += s.size;
  return n;
}

/** Executes optimized plans and returns one batch per plan. */
export async function run(plans: LogicalPlan[], opts: RunOptions = {}, label = 'query', quiet = false): Promise<{ batches: Batch[]; metrics: QueryMetrics }> {
  const s = resolveSettings(opts);
  const prepared = await prepare(plans, opts.rules);
  const { value, metrics } = await withQuery(s, prepared, label, (q) => executePlans(prepared, s, q), opts.signal, quiet);
  return { batches: value, metrics };
}
