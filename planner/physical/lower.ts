/**
 * Cuts a logical plan at its first pipeline breaker. Everything below the breaker (scan,
 * filters, projections) fuses into one pipeline that runs per partition in the workers; the
 * breaker's sink-local step runs there too; what lies above runs in the coordinator over the
 * breaker's (small, merged) result, as a new plan over an in-memory scan.
 */
import { exprColumns, exprName, formatExpr, hasScan, unalias, type ExprNode } from '../../core/expr/node.js';
import { SHIFTABLE, type ShiftTarget } from '../../ops/kernels/scan/shift-partial.js';
import { PlanError } from '../../core/errors.js';
import type { SourceRef } from '../../io/catalog.js';
import type { AggSpec } from '../../ops/kernels/aggregate/index.js';
import type { Batch, Schema } from '../../core/types.js';
import type { Aggregate, Join, LogicalPlan, Project, Scan, WordCount } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import { FIRST_SEEN, type AggSink, type PipelineSpec, type RowOp, type SinkSpec } from './pipeline.js';
import { prunedPartitions } from './prune.js';
import { exprType } from '../expr/typecheck.js';

export interface Lowered {
  source: SourceRef;
  pipeline: PipelineSpec;
  /** the rest of the plan over the pipeline's result, or null when the result is the answer */
  upper: ((result: Scan) => LogicalPlan) | null;
  /** schema of the merged pipeline result (the breaker's output) */
  resultSchema: Schema;
  /** a coordinator-only reshaping applied to the merged result (Transform nodes) */
  post?: (b: Batch) => Batch;
  /**
   * The pipeline feeds the probe side of this join: its batches, in source order, are joined
   * in the coordinator as they arrive and the output streams into `upper`.
   */
  join?: Join;
}

let nextPipeline = 1;

export function lower(plan: LogicalPlan): Lowered {
  // path from the root down to the scan
  const path: LogicalPlan[] = [];
  for (let p: LogicalPlan = plan; ; p = (p as Exclude<LogicalPlan, Scan>).input) { path.push(p); if (p.kind === 'Scan') break; }
  const scan = path[path.length - 1] as Scan;
  const ops: RowOp[] = [];
  let i = path.length - 2;
  for (; i >= 0; i--) {
    const p = path[i];
    if (p.kind === 'Filter') ops.push({ kind: 'filter', predicate: p.predicate });
    else if (p.kind === 'Project' && !p.exprs.some(hasScan)) ops.push({ kind: 'project', exprs: p.exprs });
    else if (p.kind === 'Explode') ops.push({ kind: 'explode', exprs: p.exprs, at: p.at });
    else if (p.kind === 'Join' && p.broadcast) ops.push({ kind: 'probe', ...p.broadcast });
    else break;
  }
  const chainTop = path[i + 1];
  const outSchema = planSchema(chainTop);
  let sink: SinkSpec = { kind: 'collect' };
  let consumed = i + 1; // index in `path` of the highest node the pipeline answers
  const b = i >= 0 ? path[i] : undefined;
  if (b?.kind === 'Aggregate') { sink = aggSink(b.keys, b.aggs, outSchema); consumed = i; }
  else if (b?.kind === 'Sort') {
    const parent = i >= 1 ? path[i - 1] : undefined;
    if (parent?.kind === 'Limit') { sink = { kind: 'sort', by: b.by, descending: b.descending, limit: parent.n }; consumed = i - 1; }
    else { sink = { kind: 'sort', by: b.by, descending: b.descending }; consumed = i; }
  } else if (b?.kind === 'Limit') { sink = { kind: 'limit', n: b.n }; consumed = i; }
  else if (b?.kind === 'WordCount') { sink = wordCountSink(b); consumed = i; }
  else if (b?.kind === 'Join') consumed = i;
  else if (b?.kind === 'Transform') consumed = i;
  else if (b?.kind === 'Project') {
    const parent = i >= 1 ? path[i - 1] : undefined;
    const shifted = parent?.kind === 'Aggregate' ? shiftedScanAgg(b, parent) : undefined;
    if (shifted) { sink = shifted; consumed = i - 1; }
    else { sink = scanSink(b.exprs, outSchema, planSchema(b)); consumed = i; }
  }
  const info = scan.source.info!;
  const resultSchema = consumed < i ? planSchema(path[consumed]) : b?.kind === 'Aggregate' || b?.kind === 'WordCount' || b?.kind === 'Transform' || (b?.kind === 'Project' && sink.kind === 'scan') ? planSchema(b) : outSchema;
  const pipeline: PipelineSpec = {
    id: nextPipeline++, filters: scan.filters, columns: scan.columns ?? Object.keys(info.schema), ops, sink, outSchema, resultSchema,
    pruned: [...prunedPartitions(scan, info)],
  };
  const above = path.slice(0, consumed);
  const upper = above.length === 0 ? null : (result: Scan) => rebuild(above, result);
  return { source: scan.source, pipeline, upper, resultSchema, ...(b?.kind === 'Transform' ? { post: b.fn } : {}), ...(b?.kind === 'Join' ? { join: b } : {}) };
}

function rebuild(above: LogicalPlan[], leaf: LogicalPlan): LogicalPlan {
  let p = leaf;
  for (let k = above.length - 1; k >= 0; k--) p = { ...above[k], input: p } as LogicalPlan;
  return p;
}

function scanSink(exprs: ExprNode[], inSchema: Schema, types: Schema): SinkSpec {
  const keyTypes = exprs.map((e) => {
    const u = unalias(e);
    if (u.k !== 'scan') {
      if (hasScan(u)) throw new PlanError(`${formatExpr(e)}: a scan must be the whole expression (optionally aliased); apply further arithmetic in a later withColumns`);
      return null;
    }
    if (hasScan(u.a)) throw new PlanError(`${formatExpr(e)}: a scan over another scan needs two steps (two withColumns)`);
    return u.over ? u.over.map((k) => inSchema[k]) : null;
  });
  return { kind: 'scan', exprs, types, keyTypes };
}

/**
 * A global aggregate right above a projection of additive, ungrouped scans (cumSum, cumCount)
 * whose aggregates over scanned columns can be shifted by a carry: the aggregate runs in the
 * workers over the local scans and the coordinator shifts each partial by its carry-in
 * (ops/kernels/scan/shift-partial.ts), so no scanned row is stitched or shipped. Undefined
 * when the plan does not have that shape.
 */
function shiftedScanAgg(project: Project, agg: Aggregate): SinkSpec | undefined {
  if (agg.keys.length) return undefined;
  const scanIndex = new Map<string, number>();
  for (const [j, e] of project.exprs.entries()) {
    const u = unalias(e);
    if (u.k !== 'scan') { if (hasScan(u)) return undefined; continue; }
    if ((u.fn !== 'sum' && u.fn !== 'count') || u.over?.length || hasScan(u.a)) return undefined;
    scanIndex.set(exprName(e), j);
  }
  const targets: ShiftTarget[] = [];
  for (const [k, a] of agg.aggs.entries()) {
    const u = unalias(a);
    if (u.k !== 'agg') return undefined;
    if (!u.a) continue;
    const used = new Set<string>();
    exprColumns(u.a, used);
    const scanned = [...used].filter((c) => scanIndex.has(c));
    if (!scanned.length) continue;
    if (u.a.k !== 'col' || !SHIFTABLE.has(u.fn)) return undefined;
    targets.push({ agg: k, scan: scanIndex.get(u.a.name)! });
  }
  const types = planSchema(project);
  const sink = aggSink([], agg.aggs, types) as AggSink;
  return { ...sink, scan: { exprs: project.exprs, types, targets } };
}

function wordCountSink(w: WordCount): SinkSpec {
  return {
    kind: 'agg', keys: [w.word], aggs: [{ fn: 'countAll', output: w.count }, { fn: 'min', input: FIRST_SEEN, output: FIRST_SEEN }], inputs: [],
    inSchema: { [w.word]: 'utf8' }, inputTypes: { [FIRST_SEEN]: 'float64' }, fused: { kind: 'wordcount', expr: w.expr, dropEmpty: w.dropEmpty },
  };
}

function aggSink(keys: string[], aggNodes: ExprNode[], inSchema: Schema): SinkSpec {
  const aggs: AggSpec[] = [];
  const inputs: { name: string; expr: ExprNode }[] = [];
  aggNodes.forEach((a, j) => {
    const u = unalias(a);
    if (u.k !== 'agg') throw new Error('internal: aggregate expression is not an aggregation');
    let input: string | undefined;
    if (u.a) {
      if (u.a.k === 'col') input = u.a.name;
      else { input = `__agg_in${j}`; inputs.push({ name: input, expr: u.a }); }
    }
    aggs.push({ fn: u.fn, input, output: exprName(a), ...(u.ddof !== undefined ? { ddof: u.ddof } : {}) });
  });
  const inputTypes: Schema = { ...inSchema };
  for (const inp of inputs) inputTypes[inp.name] = exprType(inp.expr, inSchema);
  return { kind: 'agg', keys, aggs, inputs, inSchema, inputTypes };
}
