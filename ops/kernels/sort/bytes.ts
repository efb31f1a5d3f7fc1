/** Byte-string comparison: for UTF-8 this is Unicode code point order, as DuckDB sorts strings. */

/**
 * Compares a[as, ae) with b[bs, be) byte by byte; a proper prefix sorts first.
 * @example compareBytes(x, 0, 2, y, 0, 3) < 0 // "ab" < "abc"
 */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as, lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const d = a[as + k] - b[bs + k];
    if (d !== 0) return d;
  }
  return la - lb;
}
