/**
 * Moves filters towards the scan: through projections (when the predicate reads only
 * passed-through columns), sorts, and group-by keys, into `Scan.filters`, where the reader
 * applies them and partition statistics prune whole row groups.
 */
import type { ExprNode } from '../../core/expr/node.js';
import { exprColumns, exprName, hasScan, mapChildren, unalias } from '../../core/expr/node.js';
import type { LogicalPlan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import type { Rule } from './rule.js';

export function conjuncts(e: ExprNode): ExprNode[] {
  return e.k === 'bin' && e.op === 'and' ? [...conjuncts(e.l), ...conjuncts(e.r)] : [e];
}
const conj = (es: ExprNode[]): ExprNode => es.reduce((a, b) => ({ k: 'bin', op: 'and', l: a, r: b }));

/** Renames columns in `e` via `map` (output name -> input column name). */
function rename(e: ExprNode, map: Map<string, string>): ExprNode {
  return e.k === 'col' ? { k: 'col', name: map.get(e.name) ?? e.name } : mapChildren(e, (c) => rename(c, map));
}

/** Pushes `preds` into `p`; returns the new subtree (with any predicates that had to stay above it). */
function push(p: LogicalPlan, preds: ExprNode[]): LogicalPlan {
  const stay: ExprNode[] = [];
  let node: LogicalPlan;
  switch (p.kind) {
    case 'Scan':
      node = preds.length ? { ...p, filters: [...p.filters, ...preds] } : p;
      break;
    case 'Filter':
      return push(p.input, [...conjuncts(p.predicate), ...preds]);
    case 'Sort':
      node = { ...p, input: push(p.input, preds) };
      break;
    case 'Project': case 'Explode': {
      // a filter below a scan would change which rows the running values see
      if (p.exprs.some(hasScan)) { node = { ...p, input: push(p.input, []) }; stay.push(...preds); break; }
      // output name -> input column, for outputs that are plain (possibly renamed) columns
      const passthrough = new Map<string, string>();
      for (const e of p.exprs) { const u = unalias(e); if (u.k === 'col') passthrough.set(exprName(e), u.name); }
      // (an exploded column is never a plain column, so filters on it stay above the explode)
      const down: ExprNode[] = [];
      for (const q of preds) ([...exprColumns(q)].every((c) => passthrough.has(c)) ? down : stay).push(q);
      node = { ...p, input: push(p.input, down.map((q) => rename(q, passthrough))) };
      break;
    }
    case 'Aggregate': {
      const keys = new Set(p.keys), down: ExprNode[] = [];
      for (const q of preds) ([...exprColumns(q)].every((c) => keys.has(c)) ? down : stay).push(q);
      node = { ...p, input: push(p.input, down) };
      break;
    }
    case 'Join': {
      // a filter on left columns commutes with inner and left joins; on right columns, with inner joins
      const left = planSchema(p.input), names = p.rightNames ?? {};
      const back = new Map(Object.entries(names).map(([r, out]) => [out, r]));
      const toLeft: ExprNode[] = [], toRight: ExprNode[] = [];
      for (const q of preds) {
        const cols = [...exprColumns(q)];
        if (p.how !== 'outer' && cols.every((c) => c in left)) toLeft.push(q);
        else if (p.how === 'inner' && cols.every((c) => back.has(c))) toRight.push(rename(q, back));
        else stay.push(q);
      }
      node = { ...p, input: push(p.input, toLeft), right: push(p.right, toRight) };
      break;
    }
    default:
      node = { ...p, input: push(p.input, []) };
      stay.push(...preds);
  }
  return stay.length ? { kind: 'Filter', input: node, predicate: conj(stay) } : node;
}

export const predicatePushdown: Rule = {
  name: 'predicatePushdown',
  rewrite: (plan) => push(plan, []),
};
