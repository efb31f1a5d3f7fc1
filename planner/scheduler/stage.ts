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
import { runTask, windowFor } from './pool.js';
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
  const dispatch = (): boolean => {
    while (next < parts.length) {
      // backpressure on memory: with work in flight, wait until its results are consumed
      const cost = partitionCost(stage.source, parts[next]);
      if (inFlight.size > 0 && !memory.tryReserve(cost)) return false;
      if (inFlight.size === 0 && !memory.tryReserve(cost)) held.set(parts[next].seq, 0);
      else held.set(parts[next].seq, cost);
      const part = parts[next++];
      const active = stage.pipelines.filter((p) => !p.pruned.includes(part.seq) && !isDone(p.id));
      if (!active.length) continue;
      const need = new Set<string>();
      for (const p of active) { p.columns.forEach((c) => need.add(c)); for (const f of p.filters) exprColumns(f, need); }
      const task: Task = { source: stage.source.spec, partition: part, schema: info.schema, columns: order.filter((c) => need.has(c)), pipelines: active };
      if (!stage.source.internal) events.emitEvent({ type: 'partition-scheduled', query, source: label, seq: part.seq });
      const where = `${label} partition ${part.seq}`;
      const p = runTask(task, s).then(
        (r) => ({ seq: part.seq, r }),
        (e: unknown) => { throw e instanceof TesseraError ? e : new WorkerError(`worker failed on ${where}: ${(e as Error)?.message ?? e}`, { cause: e }); },
      );
      // a consumer that stops early leaves tasks running: their failures must not go unhandled
      p.catch(() => undefined);
      inFlight.set(part.seq, p);
      return true;
    }
    return false;
  };

  const cancelled = whenCancelled(query);
  cancelled?.catch(() => undefined);
  throwIfCancelled(query);
  while (inFlight.size < window && dispatch()) { /* fill the window */ }
  while (inFlight.size) {
    const { seq, r } = await Promise.race(cancelled ? [...inFlight.values(), cancelled] : inFlight.values());
    inFlight.delete(seq);
    if (r.error) {
      const err = deserializeError(r.error);
      if (err instanceof TesseraError) throw err;
      throw new WorkerError(`task on ${label} partition ${seq} failed: ${err.message}`, { cause: err });
    }
    if (!stage.source.internal) events.emitEvent({ type: 'partition-finished', query, source: label, seq, thread: r.metrics.thread, rowsRead: r.metrics.rowsRead, bytes: r.metrics.bytes, ms: r.metrics.ms, ...(r.metrics.invalidUtf8 ? { invalidUtf8: r.metrics.invalidUtf8 } : {}) });
    try {
      yield r;
    } finally {
      memory.release(held.get(seq) ?? 0);
      held.delete(seq);
    }
    while (inFlight.size < window && dispatch()) { /* refill */ }
  }
  throwIfCancelled(query);
}
