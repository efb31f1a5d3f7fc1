/** describe(): count, mean, std, min, max of every numeric column, one row per statistic. */
import { PlanError } from './errors.js';
import { isNumericType, type Batch, type Schema } from './types.js';
import type { ExprNode } from './expr/node.js';
import type { LogicalPlan } from '../planner/logical/nodes.js';
import { utf8FromStrings } from '../ops/column/build.js';

const STATS = ['count', 'mean', 'std', 'min', 'max'] as const;

export function describePlan(input: LogicalPlan, schema: Schema): LogicalPlan {
  const cols = Object.keys(schema).filter((c) => isNumericType(schema[c]));
  if (!cols.length) throw new PlanError(`describe() needs at least one numeric column; columns are ${JSON.stringify(schema)}`);
  const aggs: ExprNode[] = [];
  for (const c of cols) for (const st of STATS) {
    aggs.push({ k: 'alias', name: `${st}:${c}`, a: { k: 'agg', fn: st, a: { k: 'cast', to: 'float64', a: { k: 'col', name: c } } } });
  }
  const outSchema: Schema = { statistic: 'utf8' };
  for (const c of cols) outSchema[c] = 'float64';
  const pivot = (b: Batch): Batch => {
    const columns: Batch['columns'] = { statistic: utf8FromStrings([...STATS]) };
    for (const c of cols) {
      const values = new Float64Array(STATS.length), valid = new Uint8Array(STATS.length);
      let nulls = 0;
      STATS.forEach((st, i) => {
        const src = b.columns[`${st}:${c}`];
        const ok = !src.valid || src.valid[0] === 1;
        values[i] = ok ? Number(src.values[0]) : 0; valid[i] = ok ? 1 : 0; nulls += ok ? 0 : 1;
      });
      columns[c] = { type: 'float64', length: STATS.length, values, valid: nulls ? valid : undefined, nullCount: nulls };
    }
    return { length: STATS.length, columns };
  };
  return { kind: 'Transform', name: 'describe', schema: outSchema, fn: pivot, input: { kind: 'Aggregate', input, keys: [], aggs } };
}
