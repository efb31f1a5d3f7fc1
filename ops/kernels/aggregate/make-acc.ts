/** Builds the accumulator of an aggregate once the dtype of its input is known. */
import type { Batch, DType } from '../../../core/types.js';
import type { Accumulator } from './accumulator.js';
import { DistinctAcc } from './acc-distinct.js';
import { NumSelectAcc } from './acc-select.js';
import { Utf8SelectAcc } from './acc-select-utf8.js';
import { CountAcc, MeanAcc, SumAcc } from './acc-sum.js';
import { VarAcc } from './acc-var.js';
import { aggOutputType, type AggSpec } from './types.js';

/**
 * The accumulator for `spec` over input values of dtype `inputType` (ignored by count(*)).
 * @throws SchemaError when the function does not apply to the dtype
 */
export function makeAccumulator(spec: AggSpec, inputType: DType | undefined): Accumulator {
  const out = spec.fn === 'countAll' ? 'int64' : aggOutputType(spec.fn, inputType);
  switch (spec.fn) {
    case 'sum': return new SumAcc(out);
    case 'count': return new CountAcc(false);
    case 'countAll': return new CountAcc(true);
    case 'mean': return new MeanAcc();
    case 'var': case 'std': return new VarAcc(spec.ddof ?? 1, spec.fn === 'std');
    case 'nUnique': return new DistinctAcc(inputType === 'utf8');
    case 'min': case 'max': case 'first': case 'last':
      return inputType === 'utf8' ? new Utf8SelectAcc(spec.fn) : new NumSelectAcc(spec.fn, out);
  }
}

/**
 * The input dtype an aggregate's partial columns imply, so a merging aggregator uses the
 * dtypes the workers saw rather than the planner's guess. float64 where the state does not
 * depend on it (counts, mean, var/std).
 */
export function partialInputType(spec: AggSpec, partial: Batch, prefix: string): DType {
  const cols = partial.columns;
  switch (spec.fn) {
    case 'sum': case 'min': case 'max': case 'first': case 'last':
      return cols[prefix + (spec.fn === 'sum' ? 'sum' : 'v')]?.type ?? 'float64';
    case 'nUnique': return cols[prefix + 'sets'] ? 'utf8' : 'float64';
    default: return 'float64';
  }
}
