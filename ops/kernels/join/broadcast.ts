/**
 * Broadcast hash join: a build side that fits in memory is put in shared memory once
 * (SharedArrayBuffer, which tasks carry without copying) and every worker probes it for its
 * own partitions of the probe side, fused into the pipeline like a projection, so the join
 * and whatever follows it (filters, aggregates) run in parallel. Each worker indexes the
 * build side once (its hash table is kept for the next partitions of the same join).
 * Inner and left joins only: an outer join must know which build rows nothing matched,
 * across all partitions, and goes through the coordinator's join.
 */
import type { Batch, Column, NumericArray } from '../../../core/types.js';
import { plainBatch } from '../../column/dict.js';
import { joinBatches } from './assemble.js';
import { buildJoinTable, probe, type JoinTable } from './join-table.js';

/**
 * A prepared build side, as a pipeline step carries it.
 * @example { id: 3, build: shareBatch(right), on: ['id3'], how: 'inner', rightNames: ['grp', 'w'] }
 */
export interface BroadcastBuild {
  /** identifies the build side for the workers' table cache */
  id: number;
  /** the build side's rows, in shared memory under the threads scheduler */
  build: Batch;
  on: string[];
  how: 'inner' | 'left';
  /** output names of the right side's non-key columns, in order (fixed when the plan was bound) */
  rightNames: string[];
}

function shared<T extends NumericArray | Uint8Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as Uint8Array).set(a as unknown as Uint8Array);
  return out;
}

function sharedColumn(c: Column): Column {
  return {
    ...c,
    values: shared(c.values),
    ...(c.offsets ? { offsets: shared(c.offsets) } : {}),
    ...(c.valid ? { valid: shared(c.valid) } : {}),
    ...(c.dictionary ? { dictionary: sharedColumn(c.dictionary) } : {}),
  };
}

/**
 * A copy of `b` whose column buffers are SharedArrayBuffers: structured-cloned into a task,
 * they are shared with the worker, not copied (and never transferred).
 * @example const build = shareBatch(rightSide);
 */
export function shareBatch(b: Batch): Batch {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(b.columns)) columns[k] = sharedColumn(c);
  return { length: b.length, columns };
}

/** The last build side indexed in this thread: consecutive partitions of one join reuse it. */
let cached: { id: number; table: JoinTable } | undefined;

/**
 * Joins one batch of the probe side with the prepared build side: left rows in order, each
 * with its matches in build order (left joins keep unmatched rows with nulls), columns named
 * as the coordinator's join names them.
 * @example const joined = probeBroadcast(step, batch);
 */
export function probeBroadcast(step: BroadcastBuild, batch: Batch): Batch {
  if (!cached || cached.id !== step.id) cached = { id: step.id, table: buildJoinTable(step.build, step.on) };
  const left = plainBatch(batch);
  const joined = joinBatches(left, step.build, probe(cached.table, left, step.on, step.how), { on: step.on, how: step.how });
  const entries = Object.entries(joined.columns), leftCount = Object.keys(left.columns).length;
  if (entries.length !== leftCount + step.rightNames.length) throw new Error(`internal: join output has ${entries.length} columns, expected ${leftCount + step.rightNames.length} (on ${step.on.join(', ')})`);
  const columns: Record<string, Column> = {};
  entries.forEach(([name, c], i) => { columns[i < leftCount ? name : step.rightNames[i - leftCount]] = c; });
  return { length: joined.length, columns };
}
