/**
 * Which columns a task takes from its reader in dictionary-encoded form (Column.dictionary):
 * utf8 group keys, grouped by their codes (ops/kernels/hash/dict-keys.ts), and numeric
 * inputs that only sum, mean, min, max and count read, which use dictionary entries by code without first
 * decoding a value per row (a Parquet reader then skips its gather pass). Every other use
 * of a column gets its plain form (runPipeline decodes the rest).
 */
import { exprColumns } from '../../core/expr/node.js';
import { BY_CODE } from '../../ops/kernels/aggregate/hash-aggregator.js';
import type { PipelineSpec } from '../physical/pipeline.js';
import type { Task } from './task.js';

/**
 * Columns pipeline `p` reads other than as a group key or as an input it takes encoded
 * (filters, row ops, aggregate inputs, computed inputs, scans, sort keys).
 * @example plainBatch(scanned, decodedInputs(p)) // what the pipeline must see decoded
 */
export function decodedInputs(p: PipelineSpec): Set<string> {
  const s = otherUses(p);
  if (p.sink.kind === 'agg') for (const a of p.sink.aggs) if (a.input) s.add(a.input);
  for (const c of encodedInputs(p)) s.delete(c);
  return s;
}

/** Uses of columns by filters, row ops, computed aggregate inputs, a fused word count, the scans before an aggregate and sort keys. */
function otherUses(p: PipelineSpec): Set<string> {
  const s = new Set<string>();
  for (const f of p.filters) exprColumns(f, s);
  for (const op of p.ops) {
    if (op.kind === 'filter') exprColumns(op.predicate, s);
    else if (op.kind === 'explode') for (const e of op.exprs) exprColumns(e, s);
    else if (op.kind === 'probe') op.on.forEach((k) => s.add(k));
    else for (const e of op.exprs) if (e.k !== 'col' && !(e.k === 'alias' && e.a.k === 'col')) exprColumns(e, s);
  }
  if (p.sink.kind === 'agg') {
    for (const inp of p.sink.inputs) exprColumns(inp.expr, s);
    if (p.sink.fused) exprColumns(p.sink.fused.expr, s);
    if (p.sink.scan) for (const e of p.sink.scan.exprs) exprColumns(e, s);
  }
  if (p.sink.kind === 'sort') p.sink.by.forEach((k) => s.add(k));
  return s;
}

/**
 * Numeric inputs of an aggregate pipeline without row ops that only aggregates of BY_CODE read: not a key,
 * not read by a filter, another aggregate or a computed input.
 */
export function encodedInputs(p: PipelineSpec): Set<string> {
  const out = new Set<string>();
  const s = p.sink;
  if (s.kind !== 'agg' || s.fused || s.scan || p.ops.length > 0) return out;
  const others = otherUses(p);
  for (const a of s.aggs) if (a.input && !BY_CODE.has(a.fn)) others.add(a.input);
  for (const k of s.keys) others.add(k);
  for (const inp of s.inputs) others.add(inp.name);
  for (const a of s.aggs) {
    const t = a.input === undefined ? undefined : s.inSchema[a.input];
    if (a.input && BY_CODE.has(a.fn) && !others.has(a.input) && t !== undefined && t !== 'utf8' && t !== 'bool') out.add(a.input);
  }
  return out;
}

/**
 * The columns a task asks its reader to keep dictionary-encoded: utf8 group keys and encoded
 * inputs of any of its pipelines (a pipeline that needs one decoded decodes it itself).
 * @example reader.read(spec, part, columns, schema, { dictionary: dictionaryColumns(task) })
 */
export function dictionaryColumns(task: Task): string[] {
  const out = new Set<string>();
  for (const p of task.pipelines) {
    if (p.sink.kind !== 'agg') continue;
    const s = p.sink;
    for (const k of s.keys) if (s.inSchema[k] === 'utf8') out.add(k);
    for (const c of encodedInputs(p)) out.add(c);
  }
  return [...out];
}
