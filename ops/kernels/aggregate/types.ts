/** The aggregation plan: which aggregates over which input columns, grouped by which keys. */
import { SchemaError } from '../../../core/errors.js';
import { isIntegerType, isNumericType, type DType } from '../../../core/types.js';

/** Aggregate functions. `countAll` is count(*); every other function ignores nulls. */
export type AggFn = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'countAll' | 'nUnique' | 'std' | 'var' | 'first' | 'last';

/** One aggregate: `output = fn(input)`. */
export interface AggSpec {
  fn: AggFn;
  /** column name in the batch; absent for countAll */
  input?: string;
  output: string;
  /** std/var delta degrees of freedom, default 1 (sample) */
  ddof?: number;
}

/** Keys and aggregates of one hash aggregation; zero keys means one global group. */
export interface AggPlan {
  keys: string[];
  keyTypes: DType[];
  aggs: AggSpec[];
  /** dtype of each aggregate input column (used when no batch reveals it, e.g. an empty input) */
  inputTypes: Record<string, DType>;
}

/**
 * The dtype an aggregate produces: counts are int64; sum of integers/bools is int64, of floats
 * float64; mean/std/var are float64; min/max/first/last keep the input dtype.
 * @throws SchemaError when the function does not apply to the input dtype (e.g. sum of utf8)
 * @example aggOutputType('sum', 'int32') // 'int64'
 */
export function aggOutputType(fn: AggFn, inputType?: DType): DType {
  switch (fn) {
    case 'count': case 'countAll': case 'nUnique': return 'int64';
    case 'sum':
      requireNumeric(fn, inputType);
      return isIntegerType(inputType!) || inputType === 'bool' ? 'int64' : 'float64';
    case 'mean': case 'std': case 'var':
      requireNumeric(fn, inputType);
      return 'float64';
    case 'min': case 'max': case 'first': case 'last':
      if (!inputType) throw new SchemaError(`${fn} needs an input column`);
      return inputType;
  }
}

function requireNumeric(fn: AggFn, t: DType | undefined): void {
  if (t === undefined || !(isNumericType(t) || t === 'bool')) {
    throw new SchemaError(`${fn} needs a numeric or bool input, got ${t ?? 'no input'}; cast the column first or use min/max/first/last/count/nUnique`);
  }
}
