/**
 * Splits aggregation expressions into the aggregates the hash aggregator computes and the
 * row-wise expressions over their results: `col('a').sum().div(count())` becomes aggregates
 * `__a0 = sum(a)`, `__a1 = count(*)` and the post expression `__a0 / __a1`.
 */
import { PlanError } from './errors.js';
import { exprColumns, formatExpr, hasAgg, mapChildren, unalias, type ExprNode } from './expr/node.js';

export interface SplitAggs {
  /** aliased agg nodes for the Aggregate node */
  aggs: ExprNode[];
  /** output expressions over the Aggregate's output, or null when no post-projection is needed */
  post: ExprNode[] | null;
}

export function splitAggs(named: [string, ExprNode][], keys: string[]): SplitAggs {
  const aggs: ExprNode[] = [];
  const post: ExprNode[] = [];
  let needPost = false;
  const seen = new Map<string, string>();
  const extract = (e: ExprNode, whole: ExprNode): ExprNode => {
    if (e.k === 'agg') {
      if (e.a && hasAgg(e.a)) throw new PlanError(`nested aggregation in ${formatExpr(whole)} is not supported`);
      const key = JSON.stringify(e);
      let name = seen.get(key);
      if (!name) { name = `__a${seen.size}`; seen.set(key, name); aggs.push({ k: 'alias', a: e, name }); }
      return { k: 'col', name };
    }
    if (e.k === 'col') {
      if (!keys.includes(e.name)) throw new PlanError(`${formatExpr(whole)} uses column "${e.name}" outside an aggregation; wrap it in an aggregation such as .first() or group by it`);
      return e;
    }
    return mapChildren(e, (c) => extract(c, whole));
  };
  for (const [name, expr] of named) {
    const u = unalias(expr);
    if (!hasAgg(u)) {
      throw new PlanError(`"${name}": ${formatExpr(u)} is not an aggregation; use e.g. col('${[...exprColumns(u)][0] ?? 'x'}').sum(), .mean(), .first() or ts.count()`);
    }
    if (u.k === 'agg' && !(u.a && hasAgg(u.a))) {
      const key = JSON.stringify(u);
      if (!seen.has(key)) {
        seen.set(key, name);
        aggs.push({ k: 'alias', a: u, name });
        post.push({ k: 'col', name });
      } else { needPost = true; post.push({ k: 'alias', a: { k: 'col', name: seen.get(key)! }, name }); }
      continue;
    }
    needPost = true;
    post.push({ k: 'alias', a: extract(u, expr), name });
  }
  if (needPost || aggs.some((a) => a.k === 'alias' && a.name.startsWith('__a'))) {
    return { aggs, post: [...keys.map((k): ExprNode => ({ k: 'col', name: k })), ...post] };
  }
  return { aggs, post: null };
}
