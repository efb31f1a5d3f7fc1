/**
 * Aggregates over an additive scan (cumSum, cumCount) without stitching the scanned rows:
 * within a partition every scanned value is `local + c`, where `c` is the partition's carry-in,
 * so a worker can aggregate the local scan and the coordinator shifts the partial's state by
 * `c`: sums by `c` times the values counted, means' sums likewise, min/max/first/last and the
 * running mean of var/std by `c`; counts and the spread (m2) do not move. The coordinator then
 * touches one state row per partition instead of every row.
 */
import type { Batch } from '../../../core/types.js';
import type { AggFn, AggSpec } from '../aggregate/types.js';

/** Aggregate functions whose partial state can be shifted by a constant. */
export const SHIFTABLE: ReadonlySet<AggFn> = new Set<AggFn>(['sum', 'mean', 'min', 'max', 'first', 'last', 'count', 'countAll', 'std', 'var']);

/**
 * One aggregate over a scanned column: the aggregate's index and the scan's, so the shift
 * uses that scan's carry-in.
 * @example { agg: 0, scan: 1 }
 */
export interface ShiftTarget { agg: number; scan: number }

/**
 * Shifts, in place, the state of a global (one-row) partial of `aggs` for a partition whose
 * scanned columns are all offset by `carryIn[scan]`; `counted[scan]` is how many non-null
 * values that scan produced in the partition.
 * @example shiftPartial(partial, spec.aggs, [{ agg: 0, scan: 0 }], [carry], [rows]);
 */
export function shiftPartial(partial: Batch, aggs: readonly AggSpec[], targets: readonly ShiftTarget[], carryIn: readonly number[], counted: readonly number[]): void {
  if (partial.length === 0) return;
  for (const { agg, scan } of targets) {
    const c = carryIn[scan];
    if (c === 0) continue;
    const prefix = `#${agg}.`;
    const col = (part: string) => {
      const x = partial.columns[prefix + part];
      if (!x) throw new Error(`internal: partial of ${aggs[agg].fn} "${aggs[agg].output}" lacks its state column ${prefix + part}`);
      return x;
    };
    const present = (part: string) => { const x = col(part); return !x.valid || x.valid[0] === 1; };
    switch (aggs[agg].fn) {
      case 'sum': if (present('sum')) col('sum').values[0] += c * counted[scan]; break;
      case 'mean': col('sum').values[0] += c * col('n').values[0]; break;
      case 'min': case 'max': case 'first': case 'last': if (present('v')) col('v').values[0] += c; break;
      case 'std': case 'var': if (col('n').values[0] > 0) col('mean').values[0] += c; break;
      case 'count': case 'countAll': break;
      default: throw new Error(`internal: ${aggs[agg].fn} cannot be shifted by a carry`);
    }
  }
}
