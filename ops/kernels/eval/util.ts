/** Shared pieces of the expression kernels: null masks and numeric views. */
import type { Column } from '../../../core/types.js';

/** AND of two validity masks (undefined = all valid). */
export function andValid(a: Uint8Array | undefined, b: Uint8Array | undefined, n: number): Uint8Array | undefined {
  if (!a) return b ? b.slice(0, n) : undefined;
  if (!b) return a.slice(0, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] & b[i];
  return out;
}

export function countNulls(valid: Uint8Array | undefined, n: number): number {
  if (!valid) return 0;
  let c = 0;
  for (let i = 0; i < n; i++) c += valid[i] ^ 1;
  return c;
}

/** Builds a column from values + mask, dropping an all-valid mask. */
export function withValid(c: Omit<Column, 'nullCount' | 'valid'>, valid: Uint8Array | undefined): Column {
  const nulls = countNulls(valid, c.length);
  return { ...c, valid: nulls ? valid : undefined, nullCount: nulls };
}

/** Booleans as a column. */
export const boolColumn = (values: Uint8Array, valid?: Uint8Array): Column => withValid({ type: 'bool', length: values.length, values }, valid);

/** Float64 results (float64 and int64 share the Float64Array layout). */
export const f64Column = (type: 'float64' | 'int64', values: Float64Array, valid?: Uint8Array): Column =>
  withValid({ type, length: values.length, values }, valid);

const DAY_MS = 86400000;
/** Parses a date/timestamp literal to internal units (days / microseconds); NaN when unparsable. */
export function temporalFromString(s: string, type: 'date' | 'timestamp'): number {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? s + 'T00:00:00Z' : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : s.replace(' ', 'T') + 'Z';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return NaN;
  return type === 'date' ? Math.floor(ms / DAY_MS) : ms * 1000;
}
