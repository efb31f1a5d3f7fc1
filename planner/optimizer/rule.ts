/** An optimizer rule: returns a rewritten plan, or undefined when it does not apply. */
import type { LogicalPlan } from '../logical/nodes.js';

export interface Rule {
  /** stable name, also the key to switch the rule off: explain({ rules: { [name]: false } }) */
  name: string;
  rewrite(plan: LogicalPlan): LogicalPlan | undefined;
}

/** Applies `f` to every node bottom-up, rebuilding only what changed. */
export function transformUp(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan | undefined): LogicalPlan {
  let node = p;
  if (p.kind !== 'Scan') {
    const child = transformUp(p.input, f);
    if (child !== p.input) node = { ...p, input: child } as LogicalPlan;
  }
  if (node.kind === 'Join') {
    const right = transformUp(node.right, f);
    if (right !== node.right) node = { ...node, right };
  }
  return f(node) ?? node;
}
