/**
 * Execution of a Join: the build side (right) is read first, into memory when it fits its
 * share of the memory budget (planner/physical/memory.ts) and otherwise hash-partitioned to spill files (grace join);
 * then the probe side's pipeline (left) streams through in source order and joined batches
 * stream out. Right-side output names are the ones fixed at bind time.
 */
import type { Settings } from '../../core/config.js';
import type { Batch, Column } from '../../core/types.js';
import { emptySpillMetrics, type SpillMetrics } from '../../io/spill/index.js';
import { operatorMemory } from './memory.js';
import { graceJoin } from '../../ops/kernels/join/index.js';
import type { Join, LogicalPlan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import { lower, type Lowered } from './lower.js';
import { isOrderedPipeline, pipelineBatches } from './pipeline-batches.js';

/**
 * Batches of an optimized plan, streamed when the plan is an ordered pipeline or a join,
 * else its merged result as one batch.
 */
export async function* planBatches(p: LogicalPlan, s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>): AsyncGenerator<Batch> {
  const l = lower(p);
  if (isOrderedPipeline(l)) yield* pipelineBatches(l, s, query);
  else if (l.join && !l.upper && !l.post) yield* joinBatches(l, s, query, execute);
  else yield await execute(p);
}

/** The joined batches of a lowered plan whose breaker is a join (`l.join`). */
export async function* joinBatches(l: Lowered, s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>, metrics: SpillMetrics = emptySpillMetrics()): AsyncGenerator<Batch> {
  const j = l.join!;
  const mem = operatorMemory(query, s, `join ${j.how} on ${j.on.join(', ')}`);
  // a build side that was started and did not fit (broadcast-join.ts) continues where it stopped
  const right = j.started ? resume(j.started.read, j.started.rest) : planBatches(j.right, s, query, execute);
  const out = graceJoin(pipelineBatches(l, s, query), right, {
    on: j.on, how: j.how,
    memory: mem.account,
    spillDir: mem.spillDir,
    leftSchema: l.pipeline.resultSchema, rightSchema: planSchema(j.right),
    metrics,
  });
  const leftCount = Object.keys(l.pipeline.resultSchema).length;
  const rightNames = Object.keys(planSchema(j.right)).filter((c) => !j.on.includes(c)).map((c) => j.rightNames?.[c] ?? c);
  try {
    for await (const b of out) yield renameRight(b, leftCount, rightNames, j);
  } finally {
    mem.finished(metrics);
  }
}

async function* resume(read: Batch[], rest: AsyncIterator<Batch>): AsyncGenerator<Batch> {
  yield* read;
  try {
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  } finally {
    await rest.return?.();
  }
}

/** The kernel names clashing right columns by the columns present; the plan fixed them at bind. */
function renameRight(b: Batch, leftCount: number, rightNames: string[], j: Join): Batch {
  const entries = Object.entries(b.columns);
  if (entries.length !== leftCount + rightNames.length) throw new Error(`internal: join output has ${entries.length} columns, expected ${leftCount + rightNames.length} (on ${j.on.join(', ')})`);
  const columns: Record<string, Column> = {};
  entries.forEach(([name, c], i) => { columns[i < leftCount ? name : rightNames[i - leftCount]] = c; });
  return { length: b.length, columns };
}
