/**
 * Executes several logical plans together: their first pipelines are grouped by source so
 * each source is read once (one scan feeding several sinks); what lies above each pipeline
 * breaker then runs in the coordinator over the merged result.
 */
import type { Settings } from '../../core/config.js';
import { batchSchema, type Batch, type Schema } from '../../core/types.js';
import { describeRef, sourceRef, type SourceRef } from '../../io/catalog.js';
import { registerMemory } from '../../io/memory.js';
import type { LogicalPlan, Scan } from '../logical/nodes.js';
import { runStage, partitionsFor } from '../scheduler/stage.js';
import { Collector, emptyBatch } from './collectors.js';
import { lower, type Lowered } from './lower.js';
import { Chain, placeholder, placeholderFor } from './chain.js';
import { joinBatches } from './join-exec.js';
import { aggName, holdsMemory, operatorMemory } from './memory.js';
import { prepareJoins, type PreparedJoins } from './broadcast-join.js';
import { planSchema } from '../logical/schema.js';
import { concatBatches } from '../../ops/column/take.js';

/** Describes every source a plan reads (schema, partitions). */
export async function bindSources(p: LogicalPlan): Promise<void> {
  if (p.kind === 'Scan') await describeRef(p.source);
  else await bindSources(p.input);
  if (p.kind === 'Join') await bindSources(p.right);
}

/** A scan over an already computed batch. */
export async function memoryScan(b: Batch, schema: Schema): Promise<Scan> {
  const ref = sourceRef(registerMemory([b], schema));
  ref.internal = true;
  await describeRef(ref);
  return { kind: 'Scan', source: ref, filters: [] };
}

/** Groups lowered pipelines by the source they read. */
function stagesOf(lowered: Lowered[]): { source: SourceRef; items: Lowered[] }[] {
  const bySource = new Map<number, { source: SourceRef; items: Lowered[] }>();
  for (const l of lowered) {
    const g = bySource.get(l.source.id) ?? { source: l.source, items: [] };
    g.items.push(l);
    bySource.set(l.source.id, g);
  }
  return [...bySource.values()];
}

/**
 * A join's output streams through what follows it (a Chain) batch by batch. When another
 * join follows, the output is gathered first and the rest runs over it in memory.
 */
async function runJoin(l: Lowered, s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>): Promise<{ batch: Batch; rest: ((s: Scan) => LogicalPlan) | null }> {
  const out = joinBatches(l, s, query, execute);
  const like = placeholderFor(planSchema(l.join!), l.source);
  const next = l.upper ? lower(l.upper(like)) : undefined;
  if (!next || next.join) {
    const parts: Batch[] = [];
    for await (const b of out) parts.push(b);
    return { batch: parts.length ? concatBatches(parts) : emptyBatch(planSchema(l.join!)), rest: l.upper };
  }
  const chain = new Chain(l.upper!, like, (name) => operatorMemory(query, s, name));
  try {
    for await (const b of out) await chain.push(b);
  } catch (e) {
    await chain.close();
    throw e;
  }
  return chain.finish();
}

/**
 * A key equal for pipelines that compute the same thing (same source, filters, ops and sink),
 * so one of them can stand for the others; undefined when the spec holds values that do not
 * serialize faithfully.
 */
function pipelineKey(l: Lowered): string | undefined {
  try {
    return JSON.stringify({ ...l.pipeline, id: 0, source: l.source.id }, (_, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'function' || typeof v === 'symbol' || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype)) throw new Error('not plain');
      return v;
    });
  } catch {
    return undefined;
  }
}

/** Runs the given (optimized, bound) plans; returns one batch per plan. */
export async function executePlans(input: LogicalPlan[], s: Settings, query: number): Promise<Batch[]> {
  const execute = async (p: LogicalPlan): Promise<Batch> => (await executePlans([p], s, query))[0];
  const prepared: PreparedJoins[] = [];
  try {
    // joins whose build side fits become broadcast joins, probed in the workers
    for (const p of input) prepared.push(await prepareJoins(p, s, query, execute));
    return await executePrepared(prepared.map((x) => x.plan), s, query, execute);
  } finally {
    for (const x of prepared) x.release();
  }
}

async function executePrepared(plans: LogicalPlan[], s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>): Promise<Batch[]> {
  const lowered = plans.map(lower);
  const results = new Map<Lowered, Batch>();
  /** for chained pipelines: what remains of the plan after the chain (replaces `upper`) */
  const continued = new Map<Lowered, ((s: Scan) => LogicalPlan) | null>();
  for (const l of lowered.filter((x) => x.join)) {
    const { batch, rest } = await runJoin(l, s, query, execute);
    results.set(l, batch);
    continued.set(l, rest);
  }
  // outputs whose pipelines compute the same thing (two answers over one aggregate) share one run
  const sameAs = new Map<Lowered, Lowered>();
  const byKey = new Map<string, Lowered>();
  for (const l of lowered) {
    if (l.join) continue;
    const key = pipelineKey(l);
    if (key === undefined) continue;
    const first = byKey.get(key);
    if (first) sameAs.set(l, first);
    else byKey.set(key, l);
  }
  for (const stage of stagesOf(lowered.filter((x) => !x.join && !sameAs.has(x)))) {
    const collectors = new Map<number, Collector>();
    const chains = new Map<number, Chain>();
    for (const l of stage.items) {
      const mem = holdsMemory(l.pipeline) ? operatorMemory(query, s, aggName(l.pipeline)) : undefined;
      collectors.set(l.pipeline.id, new Collector(l.pipeline, partitionsFor(stage.source, l.pipeline).map((x) => x.seq), mem));
      // what follows a scan streams through the coordinator instead of materialising the scanned data
      if (l.pipeline.sink.kind === 'scan' && l.upper) chains.set(l.pipeline.id, new Chain(l.upper, placeholder(l, { kind: 'Scan', source: stage.source, filters: [] }), (name) => operatorMemory(query, s, name)));
    }
    const run = runStage({ source: stage.source, pipelines: stage.items.map((l) => l.pipeline) }, s, query, (id) => collectors.get(id)!.done);
    try {
      for await (const r of run) {
        for (const o of r.outputs) {
          const c = collectors.get(o.id)!;
          await c.addResult(r, o);
          const chain = chains.get(o.id);
          if (chain) for (const b of c.drain()) await chain.push(b);
        }
      }
    } catch (e) {
      // spilled state and files go now, not at process exit
      await Promise.allSettled([...[...collectors.values()].map((c) => c.close()), ...[...chains.values()].map((c) => c.close())]);
      throw e;
    }
    for (const l of stage.items) {
      const chain = chains.get(l.pipeline.id);
      if (!chain) { results.set(l, await collectors.get(l.pipeline.id)!.finalize()); continue; }
      const { batch, rest } = await chain.finish();
      results.set(l, batch);
      continued.set(l, rest);
    }
  }
  for (const [l, first] of sameAs) {
    results.set(l, results.get(first)!);
    if (continued.has(first)) continued.set(l, continued.get(first)!);
  }
  const out: Batch[] = [];
  for (let i = 0; i < plans.length; i++) {
    const l = lowered[i];
    const merged = results.get(l)!;
    const chained = continued.has(l);
    const b = l.post && !chained ? l.post(merged) : merged;
    const upper = chained ? continued.get(l)! : l.upper;
    if (!upper) { out.push(b); continue; }
    const scan = await memoryScan(b, batchSchema(b));
    const rest = upper(scan);
    const [r] = await executePlans([rest], { ...s, scheduler: 'sync' }, query);
    out.push(r);
  }
  return out;
}
