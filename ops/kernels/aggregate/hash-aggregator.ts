/**
 * Hash aggregation as Sink / Combine / Finalize: workers `sink` batches into a local
 * aggregator and ship `toPartial()`; the coordinator `combine`s partials in source order and
 * `finalize`s once. Groups are numbered in order of first appearance, so the output order is
 * the same under any scheduler as long as partials are combined in source order.
 */
import { PlanError, SchemaError } from '../../../core/errors.js';
import type { Batch, Column, DType } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { createGroupTable, type GroupTable } from '../hash/key-table.js';
import { CodeKeyTable } from '../hash/code-keys.js';
import type { Accumulator } from './accumulator.js';
import { makeAccumulator, partialInputType } from './make-acc.js';
import type { AggPlan } from './types.js';

/**
 * Grouped (or, with zero keys, global) aggregation with DuckDB semantics: every aggregate but
 * count(*) ignores nulls; null keys form their own group; sum/mean/min/max of no values are
 * null, counts 0; first/last are the first/last non-null value in source order.
 * @example
 * const agg = new HashAggregator({ keys: ['id1'], keyTypes: ['utf8'], inputTypes: { v1: 'int64' },
 *   aggs: [{ fn: 'sum', input: 'v1', output: 'v1_sum' }] });
 * for (const b of batches) agg.sink(b);
 * const result = agg.finalize(); // columns id1, v1_sum; one row per group
 */
export class HashAggregator {
  private readonly table: GroupTable | undefined;
  private readonly accs: (Accumulator | undefined)[];
  private gids: Int32Array = new Int32Array(0);
  private readonly prefixes: string[];
  private readonly partialKeys: string[];

  constructor(readonly plan: AggPlan, table?: GroupTable) {
    if (plan.keys.length !== plan.keyTypes.length) throw new PlanError(`aggregation has ${plan.keys.length} keys but ${plan.keyTypes.length} key types`);
    this.table = plan.keys.length > 0 ? table ?? createGroupTable(plan.keyTypes) : undefined;
    this.accs = plan.aggs.map(() => undefined);
    this.prefixes = plan.aggs.map((_, i) => `#${i}.`);
    this.partialKeys = plan.keys.map((_, j) => `#k${j}`);
  }

  /**
   * The partial state of one batch (what a worker ships for one partition). Keys that all
   * arrive dictionary-encoded are grouped by their codes without hashing when the aggregates
   * do not depend on row order across groups (see CodeKeyTable).
   * @example const partial = HashAggregator.partialOf(plan, rowGroupBatch);
   */
  static partialOf(plan: AggPlan, batch: Batch): Batch {
    const keyCols = plan.keys.map((k) => batch.columns[k]);
    const byCodes = keyCols.length > 0 && keyCols.every((c) => c !== undefined) && CodeKeyTable.fits(keyCols)
      && plan.aggs.every((a) => a.fn !== 'first' && a.fn !== 'last');
    const agg = new HashAggregator(plan, byCodes ? new CodeKeyTable() : undefined);
    agg.sink(batch);
    return agg.toPartial();
  }

  /** Number of groups so far; always 1 without keys. */
  get groups(): number { return this.table ? this.table.size : 1; }

  /** Partially aggregates a batch holding the key columns and the aggregate inputs, by name. */
  sink(batch: Batch): void {
    const n = batch.length;
    const gids = this.groupIds(batch, n, this.plan.keys);
    const groups = this.groups;
    this.plan.aggs.forEach((a, i) => {
      const col = a.input === undefined ? undefined : column(batch, a.input);
      if (col === undefined && a.fn !== 'countAll') throw new PlanError(`${a.fn} "${a.output}" needs an input column`);
      const acc = (this.accs[i] ??= makeAccumulator(a, col?.type));
      acc.resize(groups);
      acc.update(gids, col, n);
    });
  }

  /**
   * The state as plain columns: key j as `#k<j>`, then each aggregate's state columns as
   * `#<index>.<part>` (generated names only, so no user column name can collide). Every
   * column is typed arrays only, so the batch can be transferred to another thread and
   * passed to {@link HashAggregator.combine}.
   */
  toPartial(): Batch {
    const groups = this.groups, columns: Record<string, Column> = {};
    this.keyColumns(columns, this.partialKeys);
    this.plan.aggs.forEach((_, i) => {
      const acc = this.acc(i);
      acc.resize(groups);
      acc.partial(groups, columns, this.prefixes[i]);
    });
    return { length: groups, columns };
  }

  /** Merges a partial of an aggregator with the same plan. Call in source order: first/last depend on it. */
  combine(partial: Batch): void {
    const n = partial.length;
    const gids = this.groupIds(partial, n, this.partialKeys);
    const groups = this.groups;
    this.plan.aggs.forEach((a, i) => {
      const prefix = this.prefixes[i];
      const acc = (this.accs[i] ??= makeAccumulator(a, partialInputType(a, partial, prefix)));
      acc.resize(groups);
      acc.merge(gids, (name) => {
        const c = partial.columns[prefix + name];
        if (!c) throw new PlanError(`partial aggregate lacks state column "${prefix + name}" for ${a.fn} "${a.output}"; was it produced with the same plan?`);
        return c;
      }, n);
    });
  }

  /** Keys and one column per aggregate output, one row per group in first-appearance order. */
  finalize(): Batch {
    const groups = this.groups, columns: Record<string, Column> = {};
    this.keyColumns(columns, this.plan.keys);
    this.plan.aggs.forEach((a, i) => {
      const acc = this.acc(i);
      acc.resize(groups);
      columns[a.output] = acc.finalize(groups);
    });
    return { length: groups, columns };
  }

  private acc(i: number): Accumulator {
    const a = this.plan.aggs[i];
    return (this.accs[i] ??= makeAccumulator(a, a.input === undefined ? undefined : this.plan.inputTypes[a.input] ?? 'float64'));
  }

  private keyColumns(into: Record<string, Column>, names: readonly string[]): void {
    if (!this.table) return;
    this.table.keyColumns().forEach((c, j) => { into[names[j]] = c; });
  }

  private groupIds(batch: Batch, n: number, names: readonly string[]): Int32Array {
    if (this.gids.length < n) this.gids = new Int32Array(Math.max(n, this.gids.length * 2));
    if (!this.table) return this.gids; // never written: all zeros = the one global group
    const cols = this.plan.keyTypes.map((t, j) => keyColumn(batch, names[j], t));
    return (this.gids = this.table.groupIds(cols, n, this.gids));
  }
}

function column(batch: Batch, name: string): Column {
  const c = batch.columns[name];
  if (!c) throw new SchemaError(`aggregate input column "${name}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
  // dictionary encoding pays off for keys; the aggregates read plain values
  return plain(c);
}

function keyColumn(batch: Batch, name: string, type: DType): Column {
  const c = batch.columns[name];
  if (!c) throw new SchemaError(`group key column "${name}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
  if ((c.type === 'utf8') !== (type === 'utf8')) throw new SchemaError(`group key "${name}" is ${c.type} but the plan expects ${type}`);
  return c;
}
