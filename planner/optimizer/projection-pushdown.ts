/**
 * Computes, top-down, which columns each node must produce, drops unused projections and
 * tells every scan to decode only the columns someone reads.
 */
import { exprColumns, exprName } from '../../core/expr/node.js';
import type { LogicalPlan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import type { Rule } from './rule.js';

function prune(p: LogicalPlan, need: Set<string> | null): LogicalPlan {
  switch (p.kind) {
    case 'Scan': {
      const all = Object.keys(p.source.info!.schema);
      let cols = need ? all.filter((c) => need.has(c)) : p.columns ?? all;
      if (p.columns) cols = cols.filter((c) => p.columns!.includes(c));
      // A scan must yield row counts even when no column is read (count(*)): keep the cheapest column.
      if (cols.length === 0) cols = [all[0]];
      return { ...p, columns: cols };
    }
    case 'Filter': {
      const childNeed = need ? new Set([...need, ...exprColumns(p.predicate)]) : null;
      return { ...p, input: prune(p.input, childNeed) };
    }
    case 'Project': {
      const exprs = need ? p.exprs.filter((e) => need.has(exprName(e))) : p.exprs;
      const kept = exprs.length ? exprs : p.exprs.slice(0, 1);
      const childNeed = new Set<string>();
      for (const e of kept) exprColumns(e, childNeed);
      return { ...p, exprs: kept, input: prune(p.input, childNeed) };
    }
    case 'Explode': {
      // the exploded expression decides the row count, so it stays even when unused
      const keep = p.exprs.map((e, i) => i === p.at || !need || need.has(exprName(e)));
      const exprs = p.exprs.filter((_, i) => keep[i]);
      const at = keep.slice(0, p.at).filter(Boolean).length;
      const childNeed = new Set<string>();
      for (const e of exprs) exprColumns(e, childNeed);
      return { ...p, exprs, at, input: prune(p.input, childNeed) };
    }
    case 'WordCount': return { ...p, input: prune(p.input, exprColumns(p.expr)) };
    case 'Join': {
      // left and right schemas before pruning; output names of right columns are fixed at bind
      const left = planSchema(p.input), names = p.rightNames ?? {};
      const leftNeed = need ? new Set([...p.on, ...[...need].filter((c) => c in left)]) : null;
      const rightNeed = need ? new Set([...p.on, ...Object.keys(names).filter((c) => need.has(names[c]))]) : null;
      return { ...p, input: prune(p.input, leftNeed), right: prune(p.right, rightNeed) };
    }
    case 'Aggregate': {
      const childNeed = new Set(p.keys);
      for (const a of p.aggs) exprColumns(a, childNeed);
      return { ...p, input: prune(p.input, childNeed) };
    }
    case 'Sort': return { ...p, input: prune(p.input, need ? new Set([...need, ...p.by]) : null) };
    case 'Limit': return { ...p, input: prune(p.input, need) };
    case 'Transform': case 'Deferred': return { ...p, input: prune(p.input, null) };
  }
}

export const projectionPushdown: Rule = { name: 'projectionPushdown', rewrite: (plan) => prune(plan, null) };
