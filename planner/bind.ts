/**
 * Binding: describes every source (schema, partitions) and resolves Deferred nodes, whose
 * shape depends on their input's schema. Async for collect/compute; sync for explain().
 */
import { describeRef, describeRefSync } from '../io/catalog.js';
import type { Join, LogicalPlan } from './logical/nodes.js';
import { joinRightNames } from './logical/join-schema.js';
import { planSchema } from './logical/schema.js';

function resolve(p: LogicalPlan, input: LogicalPlan | undefined, again: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  if (p.kind === 'Scan') return p;
  const node = input === p.input ? p : ({ ...p, input } as LogicalPlan);
  if (node.kind === 'Deferred') return again(node.build(node.input, planSchema(node.input)));
  planSchema(node); // surfaces unknown columns and type errors now, before anything runs
  return node;
}

/** A join with both sides bound and the output names of its right columns fixed. */
function joinNode(p: Join, input: LogicalPlan, right: LogicalPlan): LogicalPlan {
  const node: Join = { ...p, input, right, rightNames: p.rightNames ?? joinRightNames(planSchema(input), planSchema(right), p.on) };
  planSchema(node);
  return node;
}

export async function bind(p: LogicalPlan): Promise<LogicalPlan> {
  if (p.kind === 'Scan') { await describeRef(p.source); planSchema(p); return p; }
  if (p.kind === 'Join') { const [l, r] = await Promise.all([bind(p.input), bind(p.right)]); return joinNode(p, l, r); }
  const input = await bind(p.input);
  if (p.kind === 'Deferred') return bind(p.build(input, planSchema(input)));
  return resolve(p, input, () => { throw new Error('unreachable'); });
}

export function bindSync(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'Scan') { describeRefSync(p.source); planSchema(p); return p; }
  if (p.kind === 'Join') return joinNode(p, bindSync(p.input), bindSync(p.right));
  return resolve(p, bindSync(p.input), bindSync);
}
