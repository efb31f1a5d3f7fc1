/**
 * What a Bag describes, as plain data: a source, a fused chain of per-item steps and an
 * optional reduction. Steps and reductions are already in the form a worker receives
 * (functions as source text, contexts as structured-cloneable snapshots).
 */
import type { Partition, SourceSpec } from '../../io/source.js';
import type { ShippedFn } from '../udf/rebuild.js';

/**
 * A property name, an array index, or a list of them (giving a tuple).
 * @example const k: FieldKey = ['city', 0];
 */
export type FieldKey = string | number | (string | number)[];

/**
 * One per-item step. `label` (e.g. `map #1`) names it in error messages.
 * @example const s: Step = { kind: 'pluck', label: 'pluck #1', key: 'name' };
 */
export type Step =
  | { kind: 'map' | 'flatMap' | 'filter'; label: string; fn: ShippedFn; context?: unknown }
  | { kind: 'pluck'; label: string; key: FieldKey };

/**
 * How a reduction picks an item's key: a user function or a field.
 * @example const k: KeySpec = { label: 'topk key', field: 'score' };
 */
export type KeySpec = { label: string; fn: ShippedFn; context?: unknown } | { label: string; field: FieldKey };

/**
 * A reduction: a partial per partition (in the worker), merged on the coordinator in partition order.
 * @example const r: Reduction = { kind: 'topk', k: 10 };
 */
export type Reduction =
  | { kind: 'count' }
  | { kind: 'frequencies' }
  | { kind: 'distinct'; key?: KeySpec }
  | { kind: 'topk'; k: number; key?: KeySpec }
  | {
    kind: 'foldby'; key: KeySpec; binop: ShippedFn; combine: ShippedFn; context?: unknown;
    initial?: { value: unknown }; combineInitial?: { value: unknown };
  };

/**
 * Where a bag's items come from. `bag` is the output of a reduced bag, computed first.
 * @example const src: BagSource = { kind: 'items', partitions: [[1, 2], [3]] };
 */
export type BagSource =
  | { kind: 'items'; partitions: unknown[][] }
  | { kind: 'text'; spec: SourceSpec }
  | { kind: 'bag'; parent: BagPlan };

/**
 * A bag's whole description.
 * @example const p: BagPlan = { source: { kind: 'items', partitions: [[1]] }, steps: [], counts: {} };
 */
export interface BagPlan {
  source: BagSource;
  steps: Step[];
  reduce?: Reduction;
  /** steps of each kind made so far along the whole lineage, for labels such as `map #2` */
  counts: Readonly<Record<string, number>>;
}

/**
 * The items of one partition, as a worker receives them.
 * @example const src: PartitionSource = { kind: 'text', spec, part: info.partitions[0] };
 */
export type PartitionSource = { kind: 'items'; items: unknown[] } | { kind: 'text'; spec: SourceSpec; part: Partition };

/**
 * One partition's work: read, run the fused steps, then collect items or a reduction's partial.
 * @example const t: BagPartitionTask = { kind: 'bag', label: 'bag partition 0', seq: 0, source, steps: plan.steps };
 */
export interface BagPartitionTask {
  kind: 'bag';
  /** names the task in messages about the task as a whole */
  label: string;
  seq: number;
  source: PartitionSource;
  steps: Step[];
  reduce?: Reduction;
}
