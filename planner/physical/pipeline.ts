/**
 * Physical pipelines: a scan, a fused list of row-local ops and a sink-local step. They are
 * plain JSON so a worker receives them inside a task.
 */
import type { ExprNode } from '../../core/expr/node.js';
import type { DType, Schema } from '../../core/types.js';
import type { AggSpec } from '../../ops/kernels/aggregate/index.js';
import type { ShiftTarget } from '../../ops/kernels/scan/shift-partial.js';
import type { BroadcastBuild } from '../../ops/kernels/join/broadcast.js';

export type RowOp =
  | { kind: 'filter'; predicate: ExprNode }
  | { kind: 'project'; exprs: ExprNode[] }
  /** a projection whose expression `exprs[at]` explodes into several rows per input row */
  | { kind: 'explode'; exprs: ExprNode[]; at: number }
  /** an inner or left join probing a build side shared with the workers (ops/kernels/join/broadcast.ts) */
  | ({ kind: 'probe' } & BroadcastBuild);

export type SinkSpec =
  | { kind: 'collect' }
  /**
   * partial hash aggregation; `inputs` computes aggregate inputs that are not plain columns;
   * `scan`: a projection with additive scans evaluated first, whose carries shift the partials
   * (ops/kernels/scan/shift-partial.ts)
   */
  | { kind: 'agg'; keys: string[]; aggs: AggSpec[]; inputs: { name: string; expr: ExprNode }[]; inSchema: Schema; inputTypes: Schema; fused?: FusedWordCount; scan?: ScanPrelude }
  /** sort each partition (keeping only `limit` rows when set: top-k); the coordinator merges */
  | { kind: 'sort'; by: string[]; descending: boolean[]; limit?: number }
  /** first n rows in source order */
  | { kind: 'limit'; n: number }
  /**
   * a projection holding scans: each partition scans locally and returns its carry-outs; the
   * coordinator stitches partitions in source order. `types` are the output dtypes.
   */
  | { kind: 'scan'; exprs: ExprNode[]; types: Schema; keyTypes: (DType[] | null)[] };

/**
 * The scan projection under a global aggregate whose partials are shifted by carries instead
 * of stitching the scanned rows: `exprs` (scans and plain expressions) with output `types`;
 * `targets` pairs each aggregate over a scanned column with that scan's index in `exprs`.
 */
export interface ScanPrelude { exprs: ExprNode[]; types: Schema; targets: ShiftTarget[] }

/**
 * A word count computed by the byte-level kernel: its partial has the layout of a hash
 * aggregation of count(*) keyed by the word, so combine/finalize are the aggregate's.
 */
export interface FusedWordCount { kind: 'wordcount'; expr: ExprNode; dropEmpty: boolean }

/**
 * The hidden aggregate of a word count: min of each word's first position (partition, rank
 * among the words new in it). Partials then combine in any order, and the result is ordered
 * by it (first appearance) and drops it.
 */
export const FIRST_SEEN = '#first';

export interface PipelineSpec {
  id: number;
  /** predicates applied to the scanned batch before `ops` (pushed into the scan) */
  filters: ExprNode[];
  /** columns the scan outputs for this pipeline */
  columns: string[];
  ops: RowOp[];
  sink: SinkSpec;
  /** schema of the batches entering the sink */
  outSchema: Schema;
  /** schema of the sink's merged result */
  resultSchema: Schema;
  /** partitions this pipeline skips (statistics pruning) */
  pruned: number[];
}

/** An aggregate sink. */
export type AggSink = Extract<SinkSpec, { kind: 'agg' }>;
