/** Building columns from JS values and reading JS values back out. */
import { allocValues, type Column, type DType } from '../../core/types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Builds a utf8 column from JS strings (null/undefined = null). */
export function utf8FromStrings(items: ArrayLike<string | null | undefined>): Column {
  const n = items.length;
  const offsets = new Int32Array(n + 1);
  let valid: Uint8Array | undefined;
  let nulls = 0;
  const parts: Uint8Array[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = items[i];
    if (s === null || s === undefined) {
      if (!valid) valid = new Uint8Array(n).fill(1);
      valid[i] = 0; nulls++;
      parts[i] = EMPTY;
    } else {
      const b = enc.encode(s);
      parts[i] = b; total += b.length;
    }
    offsets[i + 1] = total;
  }
  const values = new Uint8Array(total);
  for (let i = 0; i < n; i++) values.set(parts[i], offsets[i]);
  return { type: 'utf8', length: n, values, offsets, valid, nullCount: nulls };
}
const EMPTY = new Uint8Array(0);

/** Builds a fixed-width column of `type` from JS numbers/booleans/bigints (null = null). */
export function numericFromValues(type: DType, items: ArrayLike<unknown>): Column {
  const n = items.length;
  const values = allocValues(type, n);
  let valid: Uint8Array | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = items[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v) && type !== 'float64' && type !== 'float32')) {
      if (!valid) valid = new Uint8Array(n).fill(1);
      valid[i] = 0; nulls++;
    } else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
    else if (v instanceof Date) values[i] = type === 'date' ? Math.floor(v.getTime() / 86400000) : v.getTime() * 1000;
    else values[i] = Number(v);
  }
  return { type, length: n, values, valid, nullCount: nulls };
}

/** The JS value at row i: number, boolean, string, or null. int64 beyond 2^53 is not representable (see core/types.ts). */
export function valueAt(c: Column, i: number): number | string | boolean | null {
  if (c.valid && c.valid[i] === 0) return null;
  if (c.type === 'utf8') return dec.decode(c.values.subarray(c.offsets![i], c.offsets![i + 1]));
  if (c.type === 'bool') return c.values[i] !== 0;
  return c.values[i];
}

/** The string at row i of a utf8 column (ignores validity). */
export function stringAt(c: Column, i: number): string {
  return dec.decode(c.values.subarray(c.offsets![i], c.offsets![i + 1]));
}

/** A column of `n` copies of one value. */
export function constantColumn(type: DType, value: unknown, n: number): Column {
  if (value === null || value === undefined) {
    if (type === 'utf8') return { type, length: n, values: new Uint8Array(0), offsets: new Int32Array(n + 1), valid: new Uint8Array(n), nullCount: n };
    return { type, length: n, values: allocValues(type, n), valid: new Uint8Array(n), nullCount: n };
  }
  if (type === 'utf8') {
    const b = enc.encode(String(value));
    const values = new Uint8Array(b.length * n);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) { values.set(b, i * b.length); offsets[i + 1] = (i + 1) * b.length; }
    return { type, length: n, values, offsets, nullCount: 0 };
  }
  const values = allocValues(type, n);
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  values.fill(v as never);
  return { type, length: n, values, nullCount: 0 };
}

/** An empty column of a dtype. */
export function emptyColumn(type: DType): Column {
  if (type === 'utf8') return { type, length: 0, values: new Uint8Array(0), offsets: new Int32Array(1), nullCount: 0 };
  return { type, length: 0, values: allocValues(type, 0), nullCount: 0 };
}
