/**
 * Row comparators with the sort semantics of {@link sortIndices} (nulls last in both
 * directions, NaN above numbers, utf8 by bytes), for top-k selection and merging sorted runs
 * where a full radix sort does not apply.
 */
import type { Batch, Column } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { compareBytes } from './bytes.js';
import { sortColumn } from './sort-indices.js';

/** Compares row `ra` of batch `ba` with row `rb` of batch `bb`: negative, zero or positive. */
export type CrossComparator = (ba: number, ra: number, bb: number, rb: number) => number;

/**
 * A comparator over rows of several batches that share the sort columns `by`. Ties return 0;
 * callers break them (by row index or batch order) to stay stable.
 * @example const cmp = crossComparator([a, b], ['k'], [false]); cmp(0, 5, 1, 2)
 */
export function crossComparator(batches: Batch[], by: string[], descending: boolean[]): CrossComparator {
  const keys = by.map((name, j) => keyComparator(batches.map((b) => plain(sortColumn(b, name))), descending[j] ?? false));
  if (keys.length === 1) return keys[0];
  return (ba, ra, bb, rb) => {
    for (let j = 0; j < keys.length; j++) {
      const d = keys[j](ba, ra, bb, rb);
      if (d !== 0) return d;
    }
    return 0;
  };
}

function keyComparator(cols: Column[], descending: boolean): CrossComparator {
  const valid = cols.map((c) => (c.nullCount > 0 ? c.valid : undefined));
  const anyNull = valid.some((v) => v !== undefined);
  const sign = descending ? -1 : 1;
  let cmp: CrossComparator;
  if (cols[0].type === 'utf8') {
    const vals = cols.map((c) => c.values as Uint8Array), offs = cols.map((c) => c.offsets!);
    cmp = (ba, ra, bb, rb) => {
      const oa = offs[ba], ob = offs[bb];
      return sign * compareBytes(vals[ba], oa[ra], oa[ra + 1], vals[bb], ob[rb], ob[rb + 1]);
    };
  } else {
    const vals = cols.map((c) => c.values);
    cmp = (ba, ra, bb, rb) => sign * compareNumbers(vals[ba][ra], vals[bb][rb]);
  }
  if (!anyNull) return cmp;
  return (ba, ra, bb, rb) => {
    const va = valid[ba], vb = valid[bb];
    const na = va !== undefined && va[ra] === 0, nb = vb !== undefined && vb[rb] === 0;
    if (na || nb) return na === nb ? 0 : na ? 1 : -1;
    return cmp(ba, ra, bb, rb);
  };
}

/**
 * Numeric order with NaN above every number and all NaNs equal (DuckDB).
 * @example [3, NaN, 1].sort(compareNumbers) // [1, 3, NaN]
 */
export function compareNumbers(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xn = x !== x, yn = y !== y;
  return xn === yn ? 0 : xn ? 1 : -1;
}
