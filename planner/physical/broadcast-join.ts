/**
 * Before a plan is cut into pipelines, each inner or left join on its probe path reads its
 * build side (right). When the build side fits in the join's memory share it becomes a
 * broadcast build (ops/kernels/join/broadcast.ts): the join turns into a row-local step of
 * the probe side's pipeline, run in the workers together with what follows it. When it does
 * not fit, what was read and the rest of the stream are kept on the join for the
 * coordinator's grace hash join, so the build side is still read once.
 */
import type { Settings } from '../../core/config.js';
import { batchBytes, type Batch } from '../../core/types.js';
import { emptySpillMetrics } from '../../io/spill/index.js';
import { concatBatches } from '../../ops/column/take.js';
import { plainBatch } from '../../ops/column/dict.js';
import { shareBatch } from '../../ops/kernels/join/broadcast.js';
import type { Join, LogicalPlan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import { emptyBatch } from './collectors.js';
import { planBatches } from './join-exec.js';
import { operatorMemory } from './memory.js';

/** Bytes per build row of the hash table each worker builds (see TABLE_BYTES_PER_ROW in ops/kernels/join/grace-join.ts). */
const TABLE_BYTES_PER_ROW = 64;

let nextBuild = 1;

/** What preparing a plan's joins holds until the query ends. */
export interface PreparedJoins {
  plan: LogicalPlan;
  /** gives back the memory of the broadcast builds */
  release(): void;
}

/**
 * Reads the build side of every inner/left join on the probe path of `p` and, where it fits,
 * makes the join a broadcast join.
 * @example const { plan, release } = await prepareJoins(p, settings, query, execute); try { ... } finally { release(); }
 */
export async function prepareJoins(p: LogicalPlan, s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>): Promise<PreparedJoins> {
  const releases: (() => void)[] = [];
  const walk = async (node: LogicalPlan): Promise<LogicalPlan> => {
    if (node.kind === 'Scan') return node;
    const input = await walk(node.input);
    if (node.kind !== 'Join' || node.how === 'outer' || node.broadcast || node.started) return input === node.input ? node : { ...node, input } as LogicalPlan;
    return { ...(await prepareJoin(node, s, query, execute, releases)), input };
  };
  const plan = await walk(p);
  return { plan, release: () => { for (const r of releases) r(); } };
}

async function prepareJoin(j: Join, s: Settings, query: number, execute: (p: LogicalPlan) => Promise<Batch>, releases: (() => void)[]): Promise<Join> {
  const mem = operatorMemory(query, s, `join ${j.how} on ${j.on.join(', ')} (broadcast build side)`);
  const perRow = TABLE_BYTES_PER_ROW * (s.scheduler === 'threads' ? s.workers : 1);
  const it = planBatches(j.right, s, query, execute)[Symbol.asyncIterator]();
  const read: Batch[] = [];
  let held = 0;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const b = plainBatch(r.value);
    read.push(b);
    // the batches, their shared copy, and a hash table per worker
    const cost = 2 * batchBytes(b) + perRow * b.length;
    if (!mem.account.tryReserve(cost)) {
      mem.account.release(held);
      return { ...j, started: { read, rest: it } };
    }
    held += cost;
  }
  const all = read.length ? concatBatches(read.filter((b, i) => b.length > 0 || i === 0)) : emptyBatch(planSchema(j.right));
  const build = s.scheduler === 'threads' ? shareBatch(all) : all;
  // the shared copy replaces the batches read
  const kept = batchBytes(build) + perRow * build.length;
  if (held > kept) { mem.account.release(held - kept); held = kept; }
  releases.push(() => {
    mem.finished({ ...emptySpillMetrics(), peakBytes: mem.account.peak });
    mem.account.release(held);
  });
  const rightNames = Object.keys(planSchema(j.right)).filter((c) => !j.on.includes(c)).map((c) => j.rightNames?.[c] ?? c);
  return { ...j, broadcast: { id: nextBuild++, build, on: j.on, how: j.how as 'inner' | 'left', rightNames } };
}
