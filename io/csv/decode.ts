/**
 * Field positions -> one column of the target dtype (core/types.ts layout).
 *
 * Two loops, one for utf8 and one for every fixed-width type (parsed into doubles, then
 * narrowed), each writing a single array class so it stays monomorphic. Null tokens only apply to
 * unquoted fields, so `""` reads as an empty string while an empty field is null: the
 * CSV sink writes the two that way and they survive a round trip.
 */
import { allocValues, type Column, type DType, type NumericArray } from '../../core/types.js';
import { CsvIssue, showValue } from './issue.js';
import { isNullToken, type Dialect } from './dialect.js';
import type { FieldIndex } from './tokenize.js';
import { isNanText, parseBoolBytes, parseDateBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes } from './values.js';

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295],
  int64: [-9223372036854775808, 9223372036854775807], uint64: [0, 18446744073709551615],
};

function badValue(buf: Uint8Array, s: number, e: number, name: string, type: DType, why = ''): CsvIssue {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
  return new CsvIssue('value', s, `cannot parse "${showValue(buf, s, e)}" as ${type}${why}`, name,
    `pass schema: { ${key}: 'utf8' } to read the column as text`);
}

/**
 * Decodes slot `slot` of `idx` as a column of `type`.
 * @throws CsvIssue ('value') naming the column, the value and the type for a field that does not parse.
 * @example const v1 = decodeColumn(buf, idx, 1, 'v1', 'int64', dialect)
 */
export function decodeColumn(buf: Uint8Array, idx: FieldIndex, slot: number, name: string, type: DType, d: Dialect): Column {
  if (type === 'utf8') return decodeUtf8(buf, idx, slot, d);
  const n = idx.rows;
  const f64 = new Float64Array(n);
  const valid = new Uint8Array(n);
  const nulls = decodeNumbers(buf, idx, slot, name, type, d, f64, valid);
  // every non-utf8 type is parsed into doubles (one monomorphic loop), then narrowed natively
  let values: NumericArray = f64;
  if (!(type === 'int64' || type === 'uint64' || type === 'float64' || type === 'timestamp')) {
    values = allocValues(type, n);
    values.set(f64);
  }
  return { type, length: n, values, valid: nulls > 0 ? valid : undefined, nullCount: nulls };
}

/** Parses the fields into `out`, marks `valid`, returns the null count. */
function decodeNumbers(buf: Uint8Array, idx: FieldIndex, slot: number, name: string, type: DType, d: Dialect, out: Float64Array, valid: Uint8Array): number {
  const n = idx.rows, ns = idx.nSlots, pos = idx.pos, flags = idx.flags;
  let nulls = 0;
  const emptyOnly = d.nullIsEmptyOnly;
  const kind = type === 'bool' ? 0 : type === 'date' ? 1 : type === 'timestamp' ? 2
    : type === 'float64' || type === 'float32' ? 3 : 4;
  const range = INT_RANGE[type];
  const lo = range ? range[0] : 0, hi = range ? range[1] : 0;
  for (let r = 0; r < n; r++) {
    const k = r * ns + slot;
    const s = pos[2 * k], e = pos[2 * k + 1];
    if ((flags === undefined || flags[k] === 0) && (emptyOnly ? s === e : isNullToken(d, buf, s, e))) {
      nulls++;
      continue;
    }
    valid[r] = 1;
    let v: number;
    if (kind === 4) {
      v = parseIntBytes(buf, s, e);
      if (!(v >= lo && v <= hi)) throw v !== v ? badValue(buf, s, e, name, type) : badValue(buf, s, e, name, type, ` (out of range ${lo}..${hi})`);
    } else if (kind === 3) {
      v = parseFloatBytes(buf, s, e);
      if (v !== v && !isNanText(buf, s, e)) throw badValue(buf, s, e, name, type);
    } else if (kind === 0) {
      v = parseBoolBytes(buf, s, e, true);
      if (v < 0) throw badValue(buf, s, e, name, type, ' (expected true or false)');
    } else if (kind === 1) {
      v = parseDateBytes(buf, s, e);
      if (v !== v) throw badValue(buf, s, e, name, type, ' (expected YYYY-MM-DD)');
    } else {
      v = parseTimestampBytes(buf, s, e, true);
      if (v !== v) throw badValue(buf, s, e, name, type, ' (expected YYYY-MM-DD HH:MM:SS[.ffffff][Z])');
    }
    out[r] = v;
  }
  return nulls;
}

// The utf8 decode keeps each row loop in a function of its own whose only result is its
// return value: when V8 compiles a long loop on stack (OSR), code after the loop has never run
// and has no type feedback, and in a worker decoding ~30 partitions a query that code
// deoptimized on every call (57 times in two CSV q1 queries).

function decodeUtf8(buf: Uint8Array, idx: FieldIndex, slot: number, d: Dialect): Column {
  const n = idx.rows;
  const bound = fieldBytes(idx, slot);
  const values = new Uint8Array(bound);
  const offsets = new Int32Array(n + 1);
  const o = copyFields(buf, idx, slot, d, values, offsets);
  return { type: 'utf8', length: n, values: o < bound ? values.slice(0, o) : values, offsets, valid: copiedValid, nullCount: copiedNulls };
}

/** Bytes of field `slot` over all rows (an upper bound of its decoded bytes). */
function fieldBytes(idx: FieldIndex, slot: number): number {
  const n = idx.rows, ns = idx.nSlots, pos = idx.pos;
  let bound = 0;
  for (let r = 0; r < n; r++) { const k = 2 * (r * ns + slot); bound += pos[k + 1] - pos[k]; }
  return bound;
}

/** Null rows of the last {@link copyFields} (undefined: none) and their count. */
let copiedValid: Uint8Array | undefined;
let copiedNulls = 0;

/** Copies field `slot` of every row into values/offsets; returns the bytes written. */
function copyFields(buf: Uint8Array, idx: FieldIndex, slot: number, d: Dialect, values: Uint8Array, offsets: Int32Array): number {
  const quote = d.quote, emptyOnly = d.nullIsEmptyOnly;
  const n = idx.rows, ns = idx.nSlots, pos = idx.pos, flags = idx.flags;
  let valid: Uint8Array | undefined;
  let nulls = 0, o = 0;
  for (let r = 0; r < n; r++) {
    const k = r * ns + slot;
    const s = pos[2 * k], e = pos[2 * k + 1];
    const flag = flags === undefined ? 0 : flags[k];
    if (flag === 0) {
      if (emptyOnly ? s === e : isNullToken(d, buf, s, e)) {
        if (valid === undefined) valid = new Uint8Array(n).fill(1);
        valid[r] = 0; nulls++;
      } else if (e - s < 24) {
        for (let i = s; i < e; i++) values[o++] = buf[i];
      } else {
        values.set(buf.subarray(s, e), o); o += e - s;
      }
    } else if (flag === 1) {
      if (e - s < 24) for (let i = s; i < e; i++) values[o++] = buf[i];
      else { values.set(buf.subarray(s, e), o); o += e - s; }
    } else {
      // doubled quotes collapse to one
      for (let i = s; i < e; i++) {
        const c = buf[i];
        values[o++] = c;
        if (c === quote) i++;
      }
    }
    offsets[r + 1] = o;
  }
  copiedValid = valid;
  copiedNulls = nulls;
  return o;
}
