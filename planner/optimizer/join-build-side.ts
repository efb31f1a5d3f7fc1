/**
 * Rule: an inner join builds its hash table from the smaller side. The right side is the
 * build side by default; when the sources say the left side is less than half the right's
 * size (bytes of the partitions it reads, after statistics pruning), the sides swap and a
 * projection restores the columns, their names and types, so the plan's output is the same
 * but for row order, which then follows the (former) right side. Left and outer joins keep
 * their sides: which rows survive depends on them.
 */
import type { ExprNode } from '../../core/expr/node.js';
import type { Join, LogicalPlan, Scan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import { prunedPartitions } from '../physical/prune.js';
import { transformUp, type Rule } from './rule.js';

/** Bytes the plan reads from its source, or undefined when unknown (in-memory data, joins below). */
function sourceBytes(p: LogicalPlan): number | undefined {
  let node = p;
  while (node.kind !== 'Scan') {
    if (node.kind === 'Join') return undefined;
    node = node.input;
  }
  const scan = node as Scan, info = scan.source.info;
  if (!info || scan.source.spec.format === 'memory') return undefined;
  const pruned = prunedPartitions(scan, info);
  let total = 0;
  for (const part of info.partitions) {
    if (pruned.has(part.seq)) continue;
    if (part.bytes === undefined) return undefined;
    total += part.bytes;
  }
  return total;
}

const col = (name: string): ExprNode => ({ k: 'col', name });
const alias = (a: ExprNode, name: string): ExprNode => ({ k: 'alias', a, name });

/** The inner join `j` with its sides swapped, under a projection giving `j`'s own output. */
function swapped(j: Join): LogicalPlan {
  const left = planSchema(j.input), right = planSchema(j.right);
  const temp = (c: string) => `__left.${c}`;
  // the former left side's non-key columns get names that cannot clash, then their own back
  const rightNames: Record<string, string> = {};
  for (const c of Object.keys(left)) if (!j.on.includes(c)) rightNames[c] = temp(c);
  const inner: Join = { kind: 'Join', input: j.right, right: j.input, on: j.on, how: 'inner', rightNames };
  const exprs: ExprNode[] = [];
  for (const [c, t] of Object.entries(left)) {
    if (!j.on.includes(c)) { exprs.push(alias(col(temp(c)), c)); continue; }
    // the key now comes from the former right side: same values, maybe another numeric type
    exprs.push(right[c] === t ? col(c) : alias({ k: 'cast', a: col(c), to: t }, c));
  }
  const names = j.rightNames ?? {};
  for (const c of Object.keys(right)) if (!j.on.includes(c)) exprs.push(alias(col(c), names[c] ?? c));
  return { kind: 'Project', input: inner, exprs };
}

export const joinBuildSide: Rule = {
  name: 'joinBuildSide',
  rewrite(plan) {
    let changed = false;
    const out = transformUp(plan, (p) => {
      if (p.kind !== 'Join' || p.how !== 'inner') return undefined;
      const l = sourceBytes(p.input), r = sourceBytes(p.right);
      if (l === undefined || r === undefined || !(2 * l < r)) return undefined;
      changed = true;
      return swapped(p);
    });
    return changed ? out : undefined;
  },
};
