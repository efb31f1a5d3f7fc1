/** Output schema of every logical node; also where ill-formed plans are rejected. */
import { PlanError, SchemaError } from '../../core/errors.js';
import { exprName, formatExpr, hasAgg, type ExprNode } from '../../core/expr/node.js';
import type { Schema } from '../../core/types.js';
import { exprType, unknownColumn } from '../expr/typecheck.js';
import type { LogicalPlan } from './nodes.js';
import { joinSchema } from './join-schema.js';

const cache = new WeakMap<LogicalPlan, Schema>();

/** The schema a plan produces. Sources must be described first (see bindSources). */
export function planSchema(p: LogicalPlan): Schema {
  let s = cache.get(p);
  if (!s) { s = computeSchema(p); cache.set(p, s); }
  return s;
}

function computeSchema(p: LogicalPlan): Schema {
  switch (p.kind) {
    case 'Scan': {
      const info = p.source.info;
      if (!info) throw new Error('internal: scan source not described');
      if (!p.columns) return info.schema;
      const out: Schema = {};
      for (const c of p.columns) {
        if (!(c in info.schema)) throw unknownColumn(c, info.schema);
        out[c] = info.schema[c];
      }
      for (const f of p.filters) checkPredicate(f, info.schema);
      return out;
    }
    case 'Filter': {
      const s = planSchema(p.input);
      checkPredicate(p.predicate, s);
      return s;
    }
    case 'Project': case 'Explode': {
      const s = planSchema(p.input), out: Schema = {};
      for (const e of p.exprs) {
        if (hasAgg(e)) throw new PlanError(`${formatExpr(e)} is an aggregation; a select must be all aggregations (one row) or all row-wise expressions`);
        const name = exprName(e);
        if (name in out) throw new PlanError(`duplicate output column "${name}" in select; give one of them .alias('other_name')`);
        out[name] = exprType(e, s);
      }
      return out;
    }
    case 'Aggregate': {
      const s = planSchema(p.input), out: Schema = {};
      for (const k of p.keys) {
        if (!(k in s)) throw unknownColumn(k, s);
        out[k] = s[k];
      }
      for (const a of p.aggs) {
        const name = exprName(a);
        if (name in out) throw new PlanError(`duplicate output column "${name}" in aggregation`);
        out[name] = exprType(a, s);
      }
      return out;
    }
    case 'WordCount': {
      const t = exprType(p.expr, planSchema(p.input));
      if (t !== 'utf8') throw new SchemaError(`word count over ${formatExpr(p.expr)} needs utf8, got ${t}`);
      return { [p.word]: 'utf8', [p.count]: 'int64' };
    }
    case 'Join': return joinSchema(p, planSchema(p.input), planSchema(p.right));
    case 'Sort': {
      const s = planSchema(p.input);
      for (const k of p.by) if (!(k in s)) throw unknownColumn(k, s);
      return s;
    }
    case 'Limit': return planSchema(p.input);
    case 'Transform': planSchema(p.input); return p.schema;
    case 'Deferred': throw new Error('internal: plan not bound');
  }
}

function checkPredicate(e: ExprNode, s: Schema): void {
  const t = exprType(e, s);
  if (t !== 'bool') throw new SchemaError(`filter predicate ${formatExpr(e)} must be boolean, got ${t}`);
}
