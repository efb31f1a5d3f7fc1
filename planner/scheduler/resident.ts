/**
 * Word counts a thread keeps across the partitions it reads in one stage of a query (one
 * source read for the query's pipelines): each partition counts into the thread's table for
 * (stage, pipeline) instead of a table of its own, so a thread hands the coordinator one
 * partial per stage instead of one per partition (a 16 MiB block of English text holds most
 * of its vocabulary: 60 blocks meant 60 partials of ~40k words to merge). The stage collects them with a drain request per thread at the end
 * (planner/scheduler/stage.ts); a table grown past its limit goes back with the partition
 * that grew it.
 */
import type { Batch } from '../../core/types.js';
import type { WordCountState } from '../../ops/operators/word-count.js';

/**
 * What a task needs to keep counts in its thread: the run of the stage they belong to (a
 * number unique in the coordinator's process) and the most bytes a table may hold.
 */
export interface Residency { stage: number; limit: number }

const held = new Map<number, Map<number, WordCountState>>();

/** The thread's state for pipeline `id` of `stage`, made by `make` on first use. */
function heldState(stage: number, id: number, make: () => WordCountState): WordCountState {
  let q = held.get(stage);
  if (!q) held.set(stage, (q = new Map()));
  let st = q.get(id);
  if (!st) q.set(id, (st = make()));
  return st;
}

/**
 * Counts partition `seq` of pipeline `id` with `count`: into the thread's table of the stage
 * when `r` allows it and the partition comes after those the table counted (nothing goes
 * back: undefined; the table itself goes back once past `r.limit`), else into a table of the
 * partition's own, whose partial goes back.
 * @example const partial = countKept(task.resident, p.id, seq, () => new WordCountState(), (st) => st.addBlock(seq, bytes)) ?? emptyCounts();
 */
export function countKept(r: Residency | undefined, id: number, seq: number, make: () => WordCountState, count: (st: WordCountState) => void): Batch | undefined {
  const alone = (): Batch => {
    const own = make();
    count(own);
    return own.partial();
  };
  if (!r) return alone();
  const st = heldState(r.stage, id, make);
  // a kept table takes partitions in increasing order only (first positions rely on it)
  if (st.lastSeq > seq) return alone();
  count(st);
  if (st.bytes <= r.limit) return undefined;
  releaseState(r.stage, id);
  return st.partial();
}

/** Forgets the state of pipeline `id` of `stage` (it went back with a partition). */
function releaseState(stage: number, id: number): void {
  const q = held.get(stage);
  q?.delete(id);
  if (q?.size === 0) held.delete(stage);
}

/** Stage runs the thread holds state of (for tests and diagnostics). */
export const heldStages = (): number => held.size;

/** True when the thread holds state of `stage`. */
export const holds = (stage: number): boolean => held.has(stage);

/** The partials of every pipeline of `stage` this thread holds, forgotten here. */
export function takeHeld(stage: number): { id: number; batch: Batch }[] {
  const q = held.get(stage);
  held.delete(stage);
  return q ? [...q].map(([id, st]) => ({ id, batch: st.partial() })) : [];
}

/** Drops what the thread holds for `stage` (the query failed or stopped early). */
export function dropHeld(stage: number): void {
  held.delete(stage);
}
