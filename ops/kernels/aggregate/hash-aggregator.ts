/**
 * Hash aggregation as Sink / Combine / Finalize: workers `sink` batches into a local
 * aggregator and ship `toPartial()`; the coordinator `combine`s partials in source order and
 * `finalize`s once. Groups are numbered in order of first appearance, so the output order is
 * the same under any scheduler as long as partials are combined in source order.
 */
import { PlanError, SchemaError } from '../../../core/errors.js';
import type { Batch, Column, DType } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { takeColumn } from '../../column/take.js';
import { FIRST, HASH_ORDER_MIN, orderedPartial } from './partial-order.js';
import { ensureCapacity } from '../hash/grow.js';
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
  /**
   * Groups a combine creates take the next ids, so each combine that created groups starts a
   * run of ids here; within a run, each group's first-appearance rank in its partial.
   */
  private readonly runStarts: number[] = [];
  private firstRank = new Int32Array(0);
  /** whether a partial's rows came in another order than first appearance (finalize then restores it) */
  private reordered = false;
  /** whether rows were sunk (their groups are in first-appearance order already) */
  private sunk = false;

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
    this.sunk = true;
    const n = batch.length;
    const gids = this.groupIds(batch, n, this.plan.keys);
    const groups = this.groups;
    this.plan.aggs.forEach((a, i) => {
      const col = a.input === undefined ? undefined : column(batch, a.input, BY_CODE.has(a.fn));
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
    const states: Record<string, Column> = {};
    this.plan.aggs.forEach((_, i) => {
      const acc = this.acc(i);
      acc.resize(groups);
      acc.partial(groups, states, this.prefixes[i]);
    });
    this.keyColumns(columns, this.partialKeys);
    const live = this.table?.liveGroups?.();
    for (const [name, c] of Object.entries(states)) columns[name] = live ? takeColumn(c, live) : c;
    if (live) return orderedPartial(columns, live.length, undefined);
    if (!this.table) return { length: groups, columns };
    return orderedPartial(columns, groups, groups >= HASH_ORDER_MIN ? this.table.groupHashes?.() : undefined);
  }

  /** Merges a partial of an aggregator with the same plan. Call in source order: first/last depend on it. */
  combine(partial: Batch): void {
    const n = partial.length;
    const before = this.groups;
    const gids = this.groupIds(partial, n, this.partialKeys);
    const groups = this.groups;
    if (this.table) this.noteFirsts(gids, n, before, groups, partial.columns[FIRST]);
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
    const live = this.table?.liveGroups?.();
    this.plan.aggs.forEach((a, i) => {
      const acc = this.acc(i);
      acc.resize(groups);
      const out = acc.finalize(groups);
      columns[a.output] = live ? takeColumn(out, live) : out;
    });
    if (live) return { length: live.length, columns };
    if (!this.reordered || this.sunk) return { length: groups, columns };
    const order = this.firstAppearanceOrder(groups);
    for (const name of Object.keys(columns)) columns[name] = takeColumn(columns[name], order);
    return { length: groups, columns };
  }

  /** Records where the ids a combine created start, and each new group's rank in that partial. */
  private noteFirsts(gids: Int32Array, n: number, before: number, after: number, first: Column | undefined): void {
    if (after === before) return;
    this.runStarts.push(before);
    const rank = this.firstRank = ensureCapacity(this.firstRank, after);
    const ranks = first?.values as Int32Array | undefined;
    rank.fill(-1, before, after);
    for (let i = 0; i < n; i++) {
      const g = gids[i];
      if (g < before) continue;
      // a key can stand twice in one partial (a dictionary that repeats a value): its earliest rank counts
      const r = ranks ? ranks[i] : i;
      if (r !== i) this.reordered = true;
      if (rank[g] < 0 || r < rank[g]) rank[g] = r;
    }
  }

  /**
   * Group ids in order of first appearance: run by run (the partial that created them), then
   * by rank within the run (distinct ranks, so a scatter sorts them).
   */
  private firstAppearanceOrder(groups: number): Int32Array {
    const order = new Int32Array(groups), rank = this.firstRank, starts = this.runStarts;
    for (let j = 0; j < starts.length; j++) {
      const a = starts[j], b = j + 1 < starts.length ? starts[j + 1] : groups;
      let top = 0;
      for (let g = a; g < b; g++) if (rank[g] > top) top = rank[g];
      const at = new Int32Array(top + 1).fill(-1);
      for (let g = a; g < b; g++) at[rank[g]] = g;
      let o = a;
      for (let r = 0; r <= top; r++) if (at[r] >= 0) order[o++] = at[r];
    }
    return order;
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
    // kept as the next call's scratch; a CodeKeyTable may return the key codes themselves, but
    // it groups one batch only, so nothing ever writes into them
    return (this.gids = this.table.groupIds(cols, n, this.gids));
  }
}

/** Aggregates whose accumulators read a dictionary-encoded number by code (nulls and all). */
export const BY_CODE: ReadonlySet<string> = new Set(['sum', 'mean', 'min', 'max', 'count']);

function column(batch: Batch, name: string, encodedOk: boolean): Column {
  const c = batch.columns[name];
  if (!c) throw new SchemaError(`aggregate input column "${name}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
  // see BY_CODE; other aggregates read plain values
  return encodedOk && c.type !== 'utf8' ? c : plain(c);
}

function keyColumn(batch: Batch, name: string, type: DType): Column {
  const c = batch.columns[name];
  if (!c) throw new SchemaError(`group key column "${name}" not found; available: ${Object.keys(batch.columns).join(', ')}`);
  if ((c.type === 'utf8') !== (type === 'utf8')) throw new SchemaError(`group key "${name}" is ${c.type} but the plan expects ${type}`);
  return c;
}
