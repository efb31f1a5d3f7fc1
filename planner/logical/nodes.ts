/**
 * Logical plan nodes, a discriminated union on `kind`. Nodes are immutable; rules build new
 * trees. Each node's schema and explain line live in its own file beside this one.
 */
import type { ExprNode } from '../../core/expr/node.js';
import type { Batch, Schema } from '../../core/types.js';
import type { SourceRef } from '../../io/catalog.js';
import type { BroadcastBuild } from '../../ops/kernels/join/broadcast.js';

export interface Scan {
  kind: 'Scan';
  source: SourceRef;
  /** columns the scan decodes (after projection pushdown); undefined = all */
  columns?: string[];
  /** predicates pushed into the scan: applied while reading and used to prune partitions */
  filters: ExprNode[];
}
export interface Filter { kind: 'Filter'; input: LogicalPlan; predicate: ExprNode }
/** Computes named expressions; `exprs` are output columns in order. */
export interface Project { kind: 'Project'; input: LogicalPlan; exprs: ExprNode[] }
/** Group-by aggregation. With no keys, one output row. `aggs` are top-level agg nodes named by their alias. */
export interface Aggregate { kind: 'Aggregate'; input: LogicalPlan; keys: string[]; aggs: ExprNode[] }
/**
 * A projection where one expression (`exprs[at]`, an `explode`) yields several rows per input
 * row; the other expressions repeat. Row-local, so it fuses into a pipeline like Project.
 */
export interface Explode { kind: 'Explode'; input: LogicalPlan; exprs: ExprNode[]; at: number }
/**
 * Word count fused into one kernel: lowercase `expr` (utf8), split on runs of non-letters,
 * optionally drop empty pieces, count per word. The planner puts it in place of
 * Aggregate(count) <- [Filter(word != '')] <- Explode(split(lower(x), /[^\p{L}]+/u)).
 */
export interface WordCount { kind: 'WordCount'; input: LogicalPlan; expr: ExprNode; word: string; count: string; dropEmpty: boolean }
/** Join kinds of `df.join(other, { how })`. */
export type JoinHow = 'inner' | 'left' | 'outer';

/**
 * Hash join: `input` (the left side) is streamed and probes a table built from `right`. The
 * output has the left columns, then the right columns other than the keys; a right column
 * whose name is taken gets the suffix `_right`. For outer joins the key columns hold the key
 * of whichever side has one. `rightNames` (right column -> output name) is fixed when the
 * plan is bound, so pruning columns later never renames an output.
 */
export interface Join {
  kind: 'Join'; input: LogicalPlan; right: LogicalPlan; on: string[]; how: JoinHow; rightNames?: Record<string, string>;
  /**
   * Set while executing: the build side, read and found to fit in memory, shared with the
   * workers, which then probe it inside the probe side's pipeline (planner/physical/broadcast-join.ts).
   */
  broadcast?: BroadcastBuild;
  /**
   * Set while executing: the build side was started and did not fit; its batches read so far
   * and the rest, for the coordinator's grace hash join (so nothing is read twice).
   */
  started?: { read: Batch[]; rest: AsyncIterator<Batch> };
}
export interface Sort { kind: 'Sort'; input: LogicalPlan; by: string[]; descending: boolean[] }
export interface Limit { kind: 'Limit'; input: LogicalPlan; n: number }
/** A coordinator-only reshaping of a small, already materialised input (e.g. describe()). */
export interface Transform { kind: 'Transform'; input: LogicalPlan; name: string; schema: Schema; fn: (b: Batch) => Batch }

/**
 * A node whose shape depends on its input's schema (withColumns, describe): replaced by the
 * plan `build` returns once the sources are described (see planner/bind.ts).
 */
export interface Deferred { kind: 'Deferred'; input: LogicalPlan; name: string; build: (input: LogicalPlan, schema: Schema) => LogicalPlan }

export type LogicalPlan = Scan | Filter | Project | Explode | WordCount | Join | Aggregate | Sort | Limit | Transform | Deferred;

/** Children of a node: none for a scan, two for a join (left, right), else one. */
export const inputsOf = (p: LogicalPlan): LogicalPlan[] => (p.kind === 'Scan' ? [] : p.kind === 'Join' ? [p.input, p.right] : [p.input]);

/** Replaces the input of a single-input node. */
export function withInput<T extends LogicalPlan>(p: T, input: LogicalPlan): T {
  if (p.kind === 'Scan') return p;
  return { ...p, input };
}
