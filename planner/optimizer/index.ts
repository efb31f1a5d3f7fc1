/** The optimizer driver: runs each enabled rule once, in order, checking it kept the schema. */
import { PlanError } from '../../core/errors.js';
import type { LogicalPlan } from '../logical/nodes.js';
import { planSchema } from '../logical/schema.js';
import { constantFolding } from './constant-folding.js';
import { predicatePushdown } from './predicate-pushdown.js';
import { projectionPushdown } from './projection-pushdown.js';
import type { Rule } from './rule.js';
import { wordCountFusion } from './word-count-fusion.js';
import { joinBuildSide } from './join-build-side.js';

export const RULES: readonly Rule[] = [constantFolding, predicatePushdown, projectionPushdown, wordCountFusion, joinBuildSide];

export type RuleSwitches = Partial<Record<string, boolean>>;

const sameSchema = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));

/** Optimizes a bound plan (sources described). */
export function optimize(plan: LogicalPlan, switches: RuleSwitches = {}): LogicalPlan {
  for (const k of Object.keys(switches)) {
    if (!RULES.some((r) => r.name === k)) throw new PlanError(`unknown optimizer rule "${k}"; rules: ${RULES.map((r) => r.name).join(', ')}`);
  }
  const before = planSchema(plan);
  let p = plan;
  for (const r of RULES) {
    if (switches[r.name] === false) continue;
    const next = r.rewrite(p);
    if (!next) continue;
    const after = planSchema(next);
    if (!sameSchema(before, after)) {
      throw new PlanError(`optimizer rule ${r.name} changed the plan's schema from ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
    }
    p = next;
  }
  return p;
}
