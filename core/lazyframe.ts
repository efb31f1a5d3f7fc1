/** LazyFrame: the user's handle on a logical plan (API.md "LazyFrame"). Nothing runs until collect/compute/stream/write. */
import type * as arrow from 'apache-arrow';
import { PlanError } from './errors.js';
import { Expr, col, count, toExpr } from './expr/expr.js';
import { exprName, formatExpr, hasAgg, hasExplode, hasScan, mapChildren, unalias, type ExprNode } from './expr/node.js';
import { batchSchema, type DType } from './types.js';
import type { JoinHow, LogicalPlan } from '../planner/logical/nodes.js';
import { planSchema } from '../planner/logical/schema.js';
import { formatPlan } from '../planner/logical/format.js';
import { bind, bindSync } from '../planner/bind.js';
import { optimize, type RuleSwitches } from '../planner/optimizer/index.js';
import { lower } from '../planner/physical/lower.js';
import { splitAggs } from './agg-split.js';
import { describePlan } from './describe.js';
import { run, type RunOptions } from './query.js';
import { streamPlan } from './stream.js';
import { batchesToTable, batchToRecordBatch } from './arrow.js';
import { writeStream, type WriteFormat } from './write.js';
import { config } from './config.js';
import { formatBytes } from './memory/format.js';
import { OPERATOR_SHARE } from '../planner/physical/memory.js';

/** Options of explain(). */
export interface ExplainOptions { optimized?: boolean; rules?: RuleSwitches }

/**
 * A lazy query over one or more sources.
 * @example
 * const t = await ts.readParquet('flights.parquet')
 *   .filter(ts.col('delay').gt(0))
 *   .groupBy('origin').agg({ n: ts.count(), mean_delay: ts.col('delay').mean() })
 *   .sort('n', { descending: true }).head(10).collect();
 */
export class LazyFrame {
  constructor(readonly plan: LogicalPlan) {}

  /** Row-wise expressions, or only aggregations (one output row). */
  select(...items: (string | Expr)[]): LazyFrame {
    const exprs = items.flat().map((x) => toExpr(x).node);
    if (!exprs.length) throw new PlanError('select() needs at least one column or expression');
    const aggs = exprs.filter(hasAgg);
    if (aggs.length && aggs.length !== exprs.length) {
      const rowwise = exprs.find((e) => !hasAgg(e))!;
      throw new PlanError(`cannot mix aggregations with row-wise expressions in one select (${formatExpr(rowwise)} is row-wise); use groupBy().agg() or select them separately`);
    }
    if (aggs.length) return this.aggregate([], exprs.map((e) => [exprName(e), e]));
    return new LazyFrame(projectWithScans(this.plan, exprs));
  }

  /** Adds or replaces columns, keeping the others in place. */
  withColumns(cols: Record<string, Expr>): LazyFrame {
    const added = Object.entries(cols).map(([name, e]): ExprNode => ({ k: 'alias', a: e.node, name }));
    return new LazyFrame({
      kind: 'Deferred', name: 'WithColumns', input: this.plan,
      build: (input, schema) => {
        const byName = new Map(added.map((e) => [exprName(e), e]));
        const exprs: ExprNode[] = Object.keys(schema).map((c) => byName.get(c) ?? { k: 'col', name: c });
        for (const e of added) if (!(exprName(e) in schema)) exprs.push(e);
        return projectWithScans(input, exprs);
      },
    });
  }

  /** Keeps rows where `pred` is true (null counts as false). */
  filter(pred: Expr): LazyFrame {
    if (!(pred instanceof Expr)) throw new PlanError('filter() expects an expression such as ts.col("x").gt(0)');
    if (hasExplode(pred.node)) throw new PlanError(`filter predicate ${pred} contains explode(); explode in a select first, then filter`);
    if (hasAgg(pred.node)) throw new PlanError(`filter predicate ${pred} contains an aggregation; aggregate first, then filter the result`);
    return new LazyFrame({ kind: 'Filter', input: this.plan, predicate: pred.node });
  }

  /** Groups by key columns; finish with `.agg({...})`. */
  groupBy(...keys: string[]): GroupBy {
    const ks = keys.flat();
    if (!ks.length) throw new PlanError('groupBy() needs at least one key column');
    return new GroupBy(this, ks);
  }

  /** @internal */
  aggregate(keys: string[], named: [string, ExprNode][]): LazyFrame {
    const { aggs, post } = splitAggs(named, keys);
    const agg: LogicalPlan = { kind: 'Aggregate', input: this.plan, keys, aggs };
    return new LazyFrame(post ? { kind: 'Project', input: agg, exprs: post } : agg);
  }

  /** Sorts by one or more columns (stable, nulls last). */
  sort(by: string | string[], opts: { descending?: boolean | boolean[] } = {}): LazyFrame {
    const keys = Array.isArray(by) ? by : [by];
    if (!keys.length) throw new PlanError('sort() needs at least one column');
    const d = opts.descending ?? false;
    const descending = Array.isArray(d) ? d : keys.map(() => d);
    if (descending.length !== keys.length) throw new PlanError(`sort(): ${keys.length} columns but ${descending.length} descending flags`);
    return new LazyFrame({ kind: 'Sort', input: this.plan, by: keys, descending });
  }

  /** The first n rows (in source order, or in sort order after a sort). */
  head(n = 5): LazyFrame {
    if (!Number.isInteger(n) || n < 0) throw new PlanError(`head() expects a non-negative integer, got ${n}`);
    return new LazyFrame({ kind: 'Limit', input: this.plan, n });
  }

  /**
   * Hash join on key columns. The left side (this frame) streams through and keeps its row
   * order; `other` is hashed first (the build side: put the smaller input there). Null keys
   * never match. Right columns whose names are taken get the suffix `_right`; for outer joins
   * the key columns hold whichever side's key is present.
   * @example flights.join(airports, { on: 'origin', how: 'left' })
   */
  join(other: LazyFrame, opts: { on: string | string[]; how?: JoinHow }): LazyFrame {
    if (!(other instanceof LazyFrame)) throw new PlanError('join() expects another LazyFrame');
    const on = typeof opts?.on === 'string' ? [opts.on] : opts?.on;
    if (!Array.isArray(on) || !on.length || on.some((k) => typeof k !== 'string')) throw new PlanError('join() needs { on: column name or names }');
    const how = opts.how ?? 'inner';
    if (!['inner', 'left', 'outer'].includes(how)) throw new PlanError(`join(): unknown how ${JSON.stringify(how)}; use 'inner', 'left' or 'outer'`);
    return new LazyFrame({ kind: 'Join', input: this.plan, right: other.plan, on, how });
  }

  /** Distinct values of a column with their counts (columns: the column, 'count'), most frequent first unless sort is false. */
  valueCounts(column: string, opts: { sort?: boolean } = {}): LazyFrame {
    const g = this.groupBy(column).agg({ count: count() });
    return opts.sort === false ? g : g.sort(['count', column], { descending: [true, false] });
  }

  /** count, mean, std, min, max of every numeric column, one row per statistic. */
  describe(): LazyFrame {
    return new LazyFrame({ kind: 'Deferred', name: 'Describe', input: this.plan, build: describePlan });
  }

  /** The output schema (describes the sources: reads file footers / samples, not the data). */
  async schema(): Promise<Record<string, DType>> {
    return { ...planSchema(await bind(this.plan)) };
  }

  /**
   * The plan as indented text: the optimized plan by default, with the columns each scan
   * decodes, the filters pushed into it, partition counts after pruning, and how the plan is
   * cut into pipelines.
   */
  explain(opts: ExplainOptions = {}): string {
    const bound = bindSync(this.plan);
    const p = opts.optimized === false ? bound : optimize(bound, opts.rules);
    const lines = formatPlan(p);
    if (opts.optimized !== false) lines.push(...pipelineLines(p));
    return lines.join('\n');
  }

  /** Runs the query and returns an apache-arrow Table. */
  async collect(opts: RunOptions = {}): Promise<arrow.Table> {
    const { batches } = await run([this.plan], opts, 'collect');
    return batchesToTable(batches, batchSchema(batches[0]));
  }

  /** Runs the query, yielding Arrow record batches in order with bounded memory. */
  async *stream(opts: RunOptions = {}): AsyncGenerator<arrow.RecordBatch> {
    const schema = await this.schema();
    for await (const b of streamPlan(this.plan, opts)) yield batchToRecordBatch(b, schema);
  }

  /** Writes the result as Parquet, streaming; atomic (temp file + rename). */
  writeParquet(path: string, opts: RunOptions = {}): Promise<void> { return this.write('parquet', path, opts); }
  /** Writes the result as an Arrow IPC file, streaming; atomic. */
  writeArrow(path: string, opts: RunOptions & { format?: 'file' | 'stream' } = {}): Promise<void> { return this.write('arrow', path, opts); }
  /** Writes the result as CSV, streaming; atomic. */
  writeCsv(path: string, opts: RunOptions & { delimiter?: string; header?: boolean } = {}): Promise<void> { return this.write('csv', path, opts); }

  private async write(format: WriteFormat, path: string, opts: RunOptions & { format?: string; delimiter?: string; header?: boolean }): Promise<void> {
    const schema = await this.schema();
    await writeStream(format, path, schema, streamPlan(this.plan, opts, `write ${format}`), opts);
  }
}

/**
 * A projection; scans nested inside larger expressions (`cumSum().mul(2)`) are computed by a
 * projection of their own first, since a scan is a plan step of its own.
 */
function projectWithScans(input: LogicalPlan, exprs: ExprNode[]): LogicalPlan {
  const at = exprs.findIndex(hasExplode);
  if (at >= 0) {
    if (exprs.filter(hasExplode).length > 1) throw new PlanError('one explode() per select; explode the columns in separate selects');
    if (unalias(exprs[at]).k !== 'explode') throw new PlanError(`${formatExpr(exprs[at])}: explode() must be the whole expression (optionally aliased); apply further functions in a later select`);
    if (exprs.some(hasScan)) throw new PlanError('a scan (cumSum ...) and an explode() cannot share a select; use two selects');
    return { kind: 'Explode', input, exprs, at };
  }
  const nested = exprs.some((e) => { const u = unalias(e); return hasScan(u) && u.k !== 'scan'; });
  if (!nested) return { kind: 'Project', input, exprs };
  const inner: ExprNode[] = [];
  const need = new Set<string>();
  let n = 0;
  const lift = (e: ExprNode): ExprNode => {
    if (e.k === 'scan') { const name = `__scan${n++}`; inner.push({ k: 'alias', a: e, name }); return { k: 'col', name }; }
    if (e.k === 'col') { need.add(e.name); return e; }
    return mapChildren(e, lift);
  };
  const outer = exprs.map((e) => (e.k === 'alias' ? { ...e, a: lift(e.a) } : { k: 'alias' as const, a: lift(e), name: exprName(e) }));
  for (const c of need) inner.push({ k: 'col', name: c });
  return { kind: 'Project', input: { kind: 'Project', input, exprs: inner }, exprs: outer };
}

/** Describes how the optimized plan is cut: what runs per partition and what the coordinator merges. */
function pipelineLines(p: LogicalPlan): string[] {
  try {
    const l = lower(p);
    const parts = l.source.info!.partitions.length - l.pipeline.pruned.length;
    const ops = [...l.pipeline.filters.map(() => 'filter'), ...l.pipeline.ops.map((o) => o.kind)];
    const sink = l.pipeline.sink;
    const sinkText = sink.kind === 'agg' && sink.fused ? `fused word count kernel (lowercase + split + hash on UTF-8 bytes, no string per word) -> counts kept per worker thread across its partitions -> one partial per thread -> coordinator combine + finalize (groups ordered by first appearance)`
      : sink.kind === 'agg' && sink.scan ? `local scans -> partial aggregate over them -> coordinator shifts each partial by its carry-in (source order), combine + finalize`
      : sink.kind === 'agg' ? `partial hash aggregate keys=[${sink.keys.join(', ')}] -> coordinator combine (in source order) + finalize`
      : sink.kind === 'sort' ? `sort${sink.limit !== undefined ? ` top-${sink.limit}` : ''} per partition -> coordinator k-way merge`
      : sink.kind === 'limit' ? `first ${sink.n} rows -> coordinator takes rows in source order, stops early`
      : sink.kind === 'scan' ? 'local scans + carry-outs -> coordinator stitches carries in source order'
      : 'batches -> coordinator, in source order';
    const lines = ['', 'Pipeline (per partition, in workers):', `  scan ${parts} partition(s) -> ${ops.length ? ops.join(' -> ') + ' (fused) -> ' : ''}${sinkText}`];
    const memory = memoryLine(l);
    if (memory) lines.push(memory);
    if (l.upper && sink.kind === 'scan') lines.push('Then in the coordinator, batch by batch as stitched partitions arrive (streaming): the nodes above the scan');
    else if (l.upper && l.join) lines.push('Then in the coordinator, batch by batch as joined batches arrive (streaming): the nodes above the join');
    else if (l.upper || l.post) lines.push('Then in the coordinator (in memory, over the merged result): the nodes above the pipeline breaker');
    return lines;
  } catch {
    return [];
  }
}

/** What the plan's breaker holds in memory and what it does beyond its share of memoryLimit. */
function memoryLine(l: ReturnType<typeof lower>): string | undefined {
  const share = formatBytes(Math.floor(config().memoryLimit * OPERATOR_SHARE));
  const sink = l.pipeline.sink;
  if (l.join) return `Join: the build side (right) is read first; up to ${share} (half of memoryLimit) it is hashed in memory and, for inner and left joins, shared with the workers, which probe it inside the left side's pipeline together with what follows; beyond that both sides spill by key hash to spillDir (grace hash join in the coordinator); the probe side (left) streams`;
  if (sink.kind === 'agg') return `Memory: aggregate state up to ${share} (half of memoryLimit); beyond that groups spill by key hash to spillDir and finalize partition by partition`;
  if (sink.kind === 'sort' && sink.limit === undefined) return `Memory: sorted partitions merged in memory up to ${share} (half of memoryLimit); beyond that sorted runs spill to spillDir and are merged from disk (external merge sort)`;
  if (sink.kind === 'sort') return `Memory: top-${sink.limit} keeps at most ${sink.limit} rows per partition`;
  return undefined;
}

/** The result of `df.groupBy(...keys)`. */
export class GroupBy {
  constructor(private readonly df: LazyFrame, private readonly keys: string[]) {}
  /**
   * Aggregates per group: `{ outputName: aggregation }`.
   * @example df.groupBy('origin').agg({ n: ts.count(), mean_delay: ts.col('delay').mean() })
   */
  agg(aggs: Record<string, Expr>): LazyFrame {
    const named = Object.entries(aggs).map(([k, e]): [string, ExprNode] => {
      if (!(e instanceof Expr)) throw new PlanError(`agg(): "${k}" must be an expression such as ts.col('x').sum()`);
      return [k, { k: 'alias', a: e.node, name: k }];
    });
    if (!named.length) throw new PlanError('agg() needs at least one aggregation');
    return this.df.aggregate(this.keys, named);
  }
}

export { col };
