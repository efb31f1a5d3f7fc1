/** Casts between dtypes. Invalid string -> number casts raise a ParseError naming the value. */
import { allocValues, isIntegerType, type Column, type DType, type NumericArray } from '../../../core/types.js';
import { ParseError } from '../../../core/errors.js';
import { utf8FromStrings } from '../../column/build.js';
import { temporalFromString, withValid } from './util.js';

const dec = new TextDecoder();

function formatValue(c: Column, i: number): string {
  const v = c.values[i];
  if (c.type === 'bool') return v ? 'true' : 'false';
  if (c.type === 'date') return new Date(v * 86400000).toISOString().slice(0, 10);
  if (c.type === 'timestamp') return new Date(v / 1000).toISOString().replace('T', ' ').replace('Z', '');
  return String(v);
}

/** Converts a column to `to`. Float -> integer truncates toward zero. */
export function castColumn(c: Column, to: DType, what = 'value'): Column {
  if (c.type === to) return c;
  const n = c.length;
  if (to === 'utf8') {
    const items: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = c.valid && !c.valid[i] ? null : formatValue(c, i);
    return utf8FromStrings(items);
  }
  const out = allocValues(to, n) as NumericArray;
  let valid = c.valid ? c.valid.slice() : undefined;
  if (c.type === 'utf8') {
    const off = c.offsets!, src = c.values as Uint8Array;
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      const s = dec.decode(src.subarray(off[i], off[i + 1])).trim();
      let x: number;
      if (to === 'bool') x = s === 'true' ? 1 : s === 'false' ? 0 : NaN;
      else if (to === 'date' || to === 'timestamp') x = temporalFromString(s, to);
      else x = s === '' ? NaN : Number(s);
      if (Number.isNaN(x) && !((to === 'float64' || to === 'float32') && s.toLowerCase() === 'nan')) {
        throw new ParseError(`cannot cast ${what} ${JSON.stringify(s)} to ${to}`, {});
      }
      out[i] = isIntegerType(to) ? Math.trunc(x) : x;
    }
    return withValid({ type: to, length: n, values: out }, valid);
  }
  const src = c.values;
  if (to === 'date' && c.type === 'timestamp') for (let i = 0; i < n; i++) out[i] = Math.floor(src[i] / 86400e6);
  else if (to === 'timestamp' && c.type === 'date') for (let i = 0; i < n; i++) out[i] = src[i] * 86400e6;
  else if (to === 'bool') for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (isIntegerType(to) && !isIntegerType(c.type)) {
    for (let i = 0; i < n; i++) {
      const x = src[i];
      if (Number.isFinite(x)) out[i] = Math.trunc(x);
      else { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
    }
  } else for (let i = 0; i < n; i++) out[i] = src[i];
  return withValid({ type: to, length: n, values: out }, valid);
}

