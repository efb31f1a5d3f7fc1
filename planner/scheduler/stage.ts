/**
 * Runs one stage: every partition of one source, read once, feeding all the pipelines that
 * need it, with at most `window` tasks in flight (backpressure). Yields task results in
 * completion order; consumers restore source order with the sequence numbers.
 */
import { basename } from 'node:path';
import { exprColumns } from '../../core/expr/node.js';
import { deserializeError, TesseraError, WorkerError } from '../../core/errors.js';
import { events } from '../../core/events.js';
import type { Settings } from '../../core/config.js';
import type { SourceRef } from '../../io/catalog.js';
import type { Partition } from '../../io/source.js';
import type { PipelineSpec } from '../physical/pipeline.js';
import { allThreads, runDrain, runTask, windowFor } from './pool.js';
import type { Residency } from './resident.js';
import type { Task, TaskResult } from './task.js';
import { throwIfCancelled, whenCancelled } from './cancel.js';
import { inFlightMemory } from '../physical/memory.js';

export interface StagePlan { source: SourceRef; pipelines: PipelineSpec[] }

/** Partitions a pipeline reads, in source order. */
export const partitionsFor = (ref: SourceRef, p: PipelineSpec): Partition[] =>
  ref.info!.partitions.filter((x) => !p.pruned.includes(x.seq));

/**
 * Memory a partition takes while in flight: its bytes on disk times a decode factor
 * (compressed columnar pages expand more than text), or the block size when unknown.
 */
function partitionCost(ref: SourceRef, part: Partition): number {
  if (ref.spec.format === 'memory') return 0;
  const bytes = part.bytes ?? (part.end !== undefined && part.start !== undefined ? part.end - part.start : 16 << 20);
  return Math.ceil(bytes * (ref.spec.format === 'parquet' ? 3 : 1.5));
}

/**
 * Checks, in source order, the quote parity each nominal CSV partition assumed at its start
 * against the quote bytes of the partitions before it in its file; hands back the results
 * in order, or a partition to read again with the right parity.
 */
class ParityCheck {
  private readonly arrivedResults = new Map<number, TaskResult>();
  private next = 0;
  private stopped = false;
  /** parity of the quote bytes before parts[next] in its file */
  private parity = 0;

  private readonly skippedSeqs = new Set<number>();

  constructor(private readonly parts: Partition[]) {}

  /** Partition `seq` will not be read (the consumers need no more): nothing from it on is released. */
  skipped(seq: number): void {
    this.skippedSeqs.add(seq);
  }

  arrived(seq: number, r: TaskResult): (TaskResult | { retry: Partition })[] {
    this.arrivedResults.set(seq, r);
    const out: (TaskResult | { retry: Partition })[] = [];
    while (!this.stopped && this.next < this.parts.length) {
      const part = this.parts[this.next];
      if (this.skippedSeqs.has(part.seq)) { this.stopped = true; break; }
      const got = this.arrivedResults.get(part.seq);
      if (!got) break;
      this.arrivedResults.delete(part.seq);
      if (part.firstInFile || !part.nominal) this.parity = 0;
      if (part.nominal && (got.metrics.startParity ?? 0) !== this.parity) {
        out.push({ retry: { ...part, startParity: this.parity } });
        break;
      }
      out.push(got);
      if (got.error) { this.stopped = true; break; }
      this.parity = (this.parity + (got.metrics.quotes ?? 0)) % 2;
      this.next++;
    }
    return out;
  }
}

/** Numbers the runs of stages in this process (threads key the word counts they keep by it). */
let stageRuns = 0;

/**
 * Most bytes of word counts one thread keeps for a stage: an eighth of the memory limit
 * shared by the threads, between 256 KiB and 64 MiB (a table past it goes back at once).
 */
export const residentLimit = (s: Settings): number =>
  Math.min(64 << 20, Math.max(256 << 10, Math.floor(s.memoryLimit / (8 * Math.max(1, s.workers)))));

/**
 * The word counts threads kept for this stage run (planner/scheduler/resident.ts), one result
 * per thread, checked to come from that thread.
 */
async function drainThreads(holders: Set<number>, stage: number, s: Settings): Promise<TaskResult[]> {
  const threads = [...holders];
  const out = await Promise.all(threads.map((t) => runDrain(t, { drain: stage }, s)));
  return out.map((r, i) => {
    const want = threads[i];
    if (r.error) throw deserializeError(r.error);
    if (r.metrics.thread !== want) throw new WorkerError(`worker thread ${want} stopped while it held word counts of this query (thread ${r.metrics.thread} answered); run the query again`);
    return r;
  });
}

export async function* runStage(stage: StagePlan, s: Settings, query: number, isDone: (id: number) => boolean = () => false): AsyncGenerator<TaskResult> {
  const info = stage.source.info!;
  const order = Object.keys(info.schema);
  const label = stage.source.spec.format === 'memory' ? '<memory>' : info.files.map((f) => basename(f)).join(',');
  const window = windowFor(s);
  const inFlight = new Map<number, Promise<{ seq: number; r: TaskResult }>>();
  let next = 0;
  const parts = info.partitions;

  const memory = inFlightMemory(query, s);
  const held = new Map<number, number>();
  // threads that keep word counts of this run (not for nominal CSV partitions: one may be read again)
  const residency: Residency = { stage: ++stageRuns, limit: residentLimit(s) };
  const holders = new Set<number>();
  const mayHold = stage.pipelines.some((p) => p.sink.kind === 'agg' && p.sink.fused);
  let drained = false;
  const launch = (part: Partition, cost: number): void => {
    held.set(part.seq, cost);
    const active = stage.pipelines.filter((p) => !p.pruned.includes(part.seq) && !isDone(p.id));
    const need = new Set<string>();
    for (const p of active) { p.columns.forEach((c) => need.add(c)); for (const f of p.filters) exprColumns(f, need); }
    const task: Task = { source: stage.source.spec, partition: part, schema: info.schema, columns: order.filter((c) => need.has(c)), pipelines: active, ...(mayHold && !part.nominal ? { resident: residency } : {}) };
    if (!stage.source.internal) events.emitEvent({ type: 'partition-scheduled', query, source: label, seq: part.seq });
    const where = `${label} partition ${part.seq}`;
    const p = runTask(task, s).then(
      (r) => ({ seq: part.seq, r }),
      (e: unknown) => { throw e instanceof TesseraError ? e : new WorkerError(`worker failed on ${where}: ${(e as Error)?.message ?? e}`, { cause: e }); },
    );
    // a consumer that stops early leaves tasks running: their failures must not go unhandled
    p.catch(() => undefined);
    inFlight.set(part.seq, p);
  };
  const parity = parts.some((x) => x.nominal) ? new ParityCheck(parts) : undefined;
  const dispatch = (): boolean => {
    while (next < parts.length) {
      // backpressure on memory: with work in flight, wait until its results are consumed
      const cost = partitionCost(stage.source, parts[next]);
      if (inFlight.size > 0 && !memory.tryReserve(cost)) return false;
      const reserved = inFlight.size === 0 && !memory.tryReserve(cost) ? 0 : cost;
      const part = parts[next++];
      if (!stage.pipelines.some((p) => !p.pruned.includes(part.seq) && !isDone(p.id))) { memory.release(reserved); parity?.skipped(part.seq); continue; }
      launch(part, reserved);
      return true;
    }
    return false;
  };

  const cancelled = whenCancelled(query);
  cancelled?.catch(() => undefined);
  throwIfCancelled(query);
  try {
    while (inFlight.size < window && dispatch()) { /* fill the window */ }
    while (inFlight.size) {
      const { seq, r } = await Promise.race(cancelled ? [...inFlight.values(), cancelled] : inFlight.values());
      inFlight.delete(seq);
      if (r.metrics.held) holders.add(r.metrics.thread);
      // nominal CSV partitions: results are checked in source order and read again where the
      // quote parity assumed at their start was wrong (io/csv/nominal.ts)
      const ready = parity ? parity.arrived(seq, r) : [r];
      for (const x of ready) {
        if ('retry' in x) { launch(x.retry, held.get(x.retry.seq) ?? 0); continue; }
        if (x.error) {
          const err = deserializeError(x.error);
          if (err instanceof TesseraError) throw err;
          throw new WorkerError(`task on ${label} partition ${x.seq} failed: ${err.message}`, { cause: err });
        }
        if (!stage.source.internal) events.emitEvent({ type: 'partition-finished', query, source: label, seq: x.seq, thread: x.metrics.thread, rowsRead: x.metrics.rowsRead, bytes: x.metrics.bytes, ms: x.metrics.ms, ...(x.metrics.invalidUtf8 ? { invalidUtf8: x.metrics.invalidUtf8 } : {}) });
        try {
          yield x;
        } finally {
          memory.release(held.get(x.seq) ?? 0);
          held.delete(x.seq);
        }
      }
      while (inFlight.size < window && dispatch()) { /* refill */ }
    }
    // results held back behind a partition that was not needed
    for (const bytes of held.values()) memory.release(bytes);
    held.clear();
    throwIfCancelled(query);
    const kept = await drainThreads(holders, residency.stage, s);
    drained = true;
    for (const r of kept) yield r;
  } finally {
    // a failed or abandoned run: every thread drops what it kept (after the tasks it runs)
    if (!drained && mayHold) for (const t of allThreads(s)) void runDrain(t, { drain: residency.stage, discard: true }, s).catch(() => undefined);
  }
}
