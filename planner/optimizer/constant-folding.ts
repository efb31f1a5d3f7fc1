/** Folds sub-expressions without column references into literals; drops `Filter true`. */
import type { ExprNode } from '../../core/expr/node.js';
import { exprColumns, hasAgg } from '../../core/expr/node.js';
import { valueAt } from '../../ops/column/build.js';
import { evalExpr } from '../../ops/kernels/eval/index.js';
import type { LogicalPlan } from '../logical/nodes.js';
import { transformUp, type Rule } from './rule.js';

function fold(e: ExprNode): ExprNode {
  if (e.k === 'lit' || e.k === 'col') return e;
  if (e.k === 'alias') { const a = fold(e.a); return a === e.a ? e : { ...e, a }; }
  if (exprColumns(e).size === 0 && !hasAgg(e)) {
    try {
      const c = evalExpr(e, { length: 1, columns: {} }, {});
      const v = valueAt(c, 0);
      if (typeof v !== 'number' || Number.isFinite(v)) return { k: 'lit', value: v };
    } catch { /* leave it for run time to report */ }
    return e;
  }
  if (e.k === 'bin' && (e.op === 'and' || e.op === 'or')) {
    const l = fold(e.l), r = fold(e.r);
    const isLit = (x: ExprNode, v: boolean) => x.k === 'lit' && x.value === v;
    if (e.op === 'and') { if (isLit(l, true)) return r; if (isLit(r, true)) return l; }
    if (e.op === 'or') { if (isLit(l, false)) return r; if (isLit(r, false)) return l; }
    return l === e.l && r === e.r ? e : { ...e, l, r };
  }
  if (e.k === 'bin') { const l = fold(e.l), r = fold(e.r); return l === e.l && r === e.r ? e : { ...e, l, r }; }
  return e;
}

export const constantFolding: Rule = {
  name: 'constantFolding',
  rewrite(plan: LogicalPlan) {
    return transformUp(plan, (p) => {
      if (p.kind === 'Filter') {
        const predicate = fold(p.predicate);
        if (predicate.k === 'lit' && predicate.value === true) return p.input;
        return predicate === p.predicate ? undefined : { ...p, predicate };
      }
      if (p.kind === 'Project' || p.kind === 'Explode') {
        const exprs = p.exprs.map(fold);
        return exprs.every((e, i) => e === p.exprs[i]) ? undefined : { ...p, exprs };
      }
      return undefined;
    });
  },
};
