/** Capacity doubling for typed-array state that grows with the number of groups. */

type Growable = Float64Array | Int32Array | Uint8Array | Uint32Array;

/**
 * Returns `a` if it holds at least `need` elements, else a copy with at least double the
 * capacity (new elements zeroed), so n appends cost O(n) copying in total.
 * @example sums = ensureCapacity(sums, groups)
 */
export function ensureCapacity<T extends Growable>(a: T, need: number): T {
  if (a.length >= need) return a;
  const cap = Math.max(need, a.length * 2, 16);
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a as never);
  return b;
}

/** The column's values as a Float64Array (zero-copy when they already are one), so hot loops stay monomorphic. */
export function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}
