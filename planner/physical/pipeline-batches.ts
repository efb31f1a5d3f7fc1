/**
 * Pull-based execution of one pipeline: batches come out in source order as the consumer asks
 * for them, with at most the scheduler's window of partitions in flight. Joins consume their
 * inputs this way, so a side is read only as fast as the join takes it.
 */
import type { Settings } from '../../core/config.js';
import type { Batch } from '../../core/types.js';
import { partitionsFor, runStage } from '../scheduler/stage.js';
import { Collector } from './collectors.js';
import type { Lowered } from './lower.js';

/**
 * Batches of a pipeline whose sink keeps rows in order (collect or scan); at least one
 * (possibly empty) batch so the consumer sees the columns.
 * @example for await (const b of pipelineBatches(lower(plan), settings, query)) use(b);
 */
export async function* pipelineBatches(l: Lowered, s: Settings, query: number): AsyncGenerator<Batch> {
  const collector = new Collector(l.pipeline, partitionsFor(l.source, l.pipeline).map((x) => x.seq));
  let any = false;
  for await (const r of runStage({ source: l.source, pipelines: [l.pipeline] }, s, query)) {
    for (const o of r.outputs) await collector.addResult(r, o);
    for (const b of collector.drain()) { any = true; yield b; }
  }
  if (!any) yield await collector.finalize();
}

/** True when the lowered plan is just an ordered pipeline (nothing to merge, nothing above it). */
export const isOrderedPipeline = (l: Lowered): boolean =>
  !l.upper && !l.post && !l.join && (l.pipeline.sink.kind === 'collect' || l.pipeline.sink.kind === 'scan');
