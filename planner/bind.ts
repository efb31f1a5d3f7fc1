/**
 * Binding: describes every source (schema, partitions) and resolves Deferred nodes, whose
 * shape depends on their input's schema. Async for collect/compute; sync for explain().
 */
import { describeRef, describeRefSync } from '../io/catalog.js';
import type { LogicalPlan } from './logical/nodes.js';
import { planSchema } from './logical/schema.js';

function resolve(p: LogicalPlan, input: LogicalPlan | undefined, again: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  if (p.kind === 'Scan') return p;
  const node = input === p.input ? p : ({ ...p, input } as LogicalPlan);
  if (node.kind === 'Deferred') return again(node.build(node.input, planSchema(node.input)));
  planSchema(node); // surfaces unknown columns and type errors now, before anything runs
  return node;
}

export async function bind(p: LogicalPlan): Promise<LogicalPlan> {
  if (p.kind === 'Scan') { await describeRef(p.source); planSchema(p); return p; }
  const input = await bind(p.input);
  if (p.kind === 'Deferred') return bind(p.build(input, planSchema(input)));
  return resolve(p, input, () => { throw new Error('unreachable'); });
}

export function bindSync(p: LogicalPlan): LogicalPlan {
  if (p.kind === 'Scan') { describeRefSync(p.source); planSchema(p); return p; }
  return resolve(p, bindSync(p.input), bindSync);
}
