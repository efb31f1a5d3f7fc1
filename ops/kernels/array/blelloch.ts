/**
 * Blelloch's work-efficient exclusive scan (up-sweep then down-sweep over a balanced tree),
 * applied to chunk totals: each element is a slab of per-line totals, combined elementwise.
 */
import { scanIdentity, type ScanFn } from './plan.js';

const op = (fn: ScanFn, a: Float64Array, b: Float64Array): Float64Array => {
  const out = new Float64Array(a.length);
  if (fn === 'sum') for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  else for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
};

/**
 * Exclusive prefixes of `totals` in chunk order: result[k] combines totals[0..k).
 * The tree's levels are independent pairwise combines, which is what makes the scan parallel
 * when the elements are large; here they are small slabs, so it runs in one thread.
 * @example
 * blellochExclusive([Float64Array.of(1), Float64Array.of(2), Float64Array.of(3)], 'sum') // [[0], [1], [3]]
 */
export function blellochExclusive(totals: Float64Array[], fn: ScanFn): Float64Array[] {
  const k = totals.length;
  if (k === 0) return [];
  const m = totals[0].length;
  let size = 1;
  while (size < k) size *= 2;
  const id = () => new Float64Array(m).fill(scanIdentity(fn));
  const t: Float64Array[] = Array.from({ length: size }, (_, i) => (i < k ? totals[i].slice() : id()));
  for (let d = 1; d < size; d *= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) t[i] = op(fn, t[i - d], t[i]);
  }
  t[size - 1] = id();
  for (let d = size / 2; d >= 1; d /= 2) {
    for (let i = 2 * d - 1; i < size; i += 2 * d) {
      const left = t[i - d];
      t[i - d] = t[i];
      t[i] = op(fn, t[i], left);
    }
  }
  return t.slice(0, k);
}
