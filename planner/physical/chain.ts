/**
 * Streaming continuation of an ordered pipeline in the coordinator. A scan's stitched batches
 * come out in source order; what the plan does next (filters, aggregations, another scan)
 * runs here batch by batch as they arrive, so memory stays bounded by a batch plus the next
 * breaker's state rather than holding the scanned data.
 */
import type { Batch, Schema } from '../../core/types.js';
import type { SourceRef } from '../../io/catalog.js';
import type { LogicalPlan, Scan } from '../logical/nodes.js';
import { runPipeline } from '../scheduler/task.js';
import { Collector } from './collectors.js';
import { lower, type Lowered } from './lower.js';
import { aggName, holdsMemory, type OperatorMemory } from './memory.js';

export class Chain {
  private readonly l: Lowered;
  private readonly collector: Collector;
  private readonly child?: Chain;
  private seq = 0;

  /** `rest` builds the plan above the pipeline over a scan of its output. */
  constructor(rest: (input: Scan) => LogicalPlan, input: Scan, mem?: (name: string) => OperatorMemory) {
    this.l = lower(rest(input));
    this.collector = new Collector(this.l.pipeline, null, mem && holdsMemory(this.l.pipeline) ? mem(aggName(this.l.pipeline)) : undefined);
    if (this.l.upper && this.l.pipeline.sink.kind === 'scan') this.child = new Chain(this.l.upper, input.kind === 'Scan' ? placeholder(this.l, input) : input, mem);
  }

  /** Releases what the chain holds (after a failure). */
  async close(): Promise<void> {
    await Promise.allSettled([this.collector.close(), this.child?.close()]);
  }

  async push(b: Batch): Promise<void> {
    const r = runPipeline(this.l.pipeline, b, { seq: this.seq });
    await this.collector.add(this.seq++, r.batch, r.carries);
    if (this.child) for (const x of this.collector.drain()) await this.child.push(x);
  }

  /** The merged result and, when more of the plan remains, the rest to run over it. */
  async finish(): Promise<{ batch: Batch; rest: ((s: Scan) => LogicalPlan) | null }> {
    if (this.child) return this.child.finish();
    const merged = await this.collector.finalize();
    return { batch: this.l.post ? this.l.post(merged) : merged, rest: this.l.upper };
  }
}

/** A scan node standing for a pipeline's output, with that output's schema. */
const placeholder = (l: Lowered, like: Scan): Scan => placeholderFor(l.resultSchema, like.source);

/** A scan node standing for an intermediate result with `schema`, labelled like `source`. */
export function placeholderFor(schema: Schema, source: SourceRef): Scan {
  const info = { files: [], schema, partitions: [] };
  return { kind: 'Scan', source: { id: source.id, spec: source.spec, info, internal: true }, filters: [] };
}

export { placeholder };
