/**
 * Streaming execution of one plan: batches come out in source order as soon as every earlier
 * partition is done, with at most the scheduler's window of partitions in flight, so memory
 * stays bounded whatever the input size. Plans whose answer needs a merge (aggregates, sorts)
 * stream their merged result.
 */
import { resolveSettings } from './config.js';
import type { Batch } from './types.js';
import type { LogicalPlan } from '../planner/logical/nodes.js';
import { executePlans } from '../planner/physical/execute.js';
import { Collector, emptyBatch } from '../planner/physical/collectors.js';
import { aggName, operatorMemory } from '../planner/physical/memory.js';
import { lower } from '../planner/physical/lower.js';
import { partitionsFor, runStage } from '../planner/scheduler/stage.js';
import { sliceBatch } from '../ops/column/take.js';
import { prepare, withQuery, type RunOptions } from './query.js';

export async function* streamPlan(plan: LogicalPlan, opts: RunOptions = {}, label = 'stream'): AsyncGenerator<Batch> {
  const s = resolveSettings(opts);
  const [p] = await prepare([plan], opts.rules);
  const l = lower(p);
  // a full sort streams its merge (external when it outgrows its memory account)
  const fullSort = l.pipeline.sink.kind === 'sort' && l.pipeline.sink.limit === undefined;
  const streamable = !l.upper && !l.post && !l.join && (fullSort || l.pipeline.sink.kind === 'collect' || l.pipeline.sink.kind === 'limit' || l.pipeline.sink.kind === 'scan');
  if (!streamable) {
    const { value } = await withQuery(s, [p], label, (q) => executePlans([p], s, q), opts.signal);
    yield value[0];
    return;
  }
  // The generator cannot live inside withQuery's callback, so events/progress are driven by hand here.
  const queue: Batch[] = [];
  let finished = false;
  let cancelled = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  let collector: Collector | undefined;
  const producer = withQuery(s, [p], label, async (q) => {
    const c = collector = new Collector(l.pipeline, partitionsFor(l.source, l.pipeline).map((x) => x.seq), fullSort ? operatorMemory(q, s, aggName(l.pipeline)) : undefined);
    const backpressure = async () => {
      wake?.();
      // wait for the consumer before asking for more partitions
      while (queue.length > 2 * s.workers && !cancelled) await new Promise<void>((res) => { resume = res; });
    };
    try {
      for await (const r of runStage({ source: l.source, pipelines: [l.pipeline] }, s, q, () => cancelled || c.done)) {
        for (const o of r.outputs) await c.addResult(r, o);
        queue.push(...c.drain());
        await backpressure();
      }
      if (fullSort) {
        for await (const b of c.finalizeStream()) { if (cancelled) break; queue.push(b); await backpressure(); }
      }
    } catch (e) {
      await c.close();
      throw e;
    }
  }, opts.signal).then(() => { finished = true; wake?.(); }, (e) => { failure = e; finished = true; wake?.(); });
  let emitted = 0;
  const limit = l.pipeline.sink.kind === 'limit' ? l.pipeline.sink.n : Infinity;
  let yieldedAny = false;
  try {
    while (true) {
      if (queue.length) {
        let b = queue.shift()!;
        resume?.(); resume = undefined;
        if (emitted >= limit) continue;
        if (emitted + b.length > limit) b = sliceBatch(b, 0, limit - emitted);
        emitted += b.length;
        if (b.length > 0 || !yieldedAny) { yieldedAny = true; yield b; }
        continue;
      }
      if (finished) break;
      await new Promise<void>((res) => { wake = res; });
      wake = undefined;
    }
    await producer;
    if (failure) throw failure;
    if (!yieldedAny) yield fullSort || !collector ? emptyBatch(l.pipeline.resultSchema) : await collector.finalize();
  } finally {
    cancelled = true;
    resume?.();
  }
}
