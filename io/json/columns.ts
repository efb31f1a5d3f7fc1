/**
 * Column builders for JSON values: each writes straight into the typed array of its dtype
 * (utf8 into offsets + bytes), one row at a time, rows in order. A value that does not fit
 * the dtype is refused (`set` returns false) and the reader reports it with its line.
 *
 * Accepted values: numbers for numeric columns (integers within the type's range for
 * integer types, within ±(2^53 - 1) for int64); true/false for bool; `YYYY-MM-DD` strings for
 * date; ISO 8601 strings or integer microseconds since the epoch for timestamp; anything
 * for utf8 (strings as they are, other values as their JSON text). null is null everywhere.
 */
import { allocValues, type Column, type DType, type NumericArray } from '../../core/types.js';
import { parseDateBytes, parseTimestampBytes } from '../csv/values.js';

/**
 * Collects one column.
 * @example const b: ColumnBuilder = columnBuilder('utf8', rows, 1024);
 */
export interface ColumnBuilder {
  /** last row given a value or a null; -1 before the first */
  last: number;
  /** Sets row `row` (>= last); false when `v` does not fit the column's type. */
  set(row: number, v: unknown): boolean;
  setNull(row: number): void;
  finish(rows: number): Column;
}

const enc = new TextEncoder();
/** beyond it JSON.parse has already rounded the number, so the integer is not known exactly */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-MAX_EXACT, MAX_EXACT],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1], uint64: [0, MAX_EXACT],
};

/** The number a value stores as in a fixed-width column, or NaN when it does not fit. */
function converter(type: DType): (v: unknown) => number {
  const range = INT_RANGE[type];
  if (range) {
    const [lo, hi] = range;
    return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : NaN);
  }
  switch (type) {
    case 'bool': return (v) => (v === true ? 1 : v === false ? 0 : NaN);
    case 'date': return (v) => {
      if (typeof v !== 'string') return NaN;
      const b = enc.encode(v);
      return parseDateBytes(b, 0, b.length);
    };
    case 'timestamp': return (v) => {
      if (typeof v === 'number') return Number.isInteger(v) ? v : NaN;
      if (typeof v !== 'string') return NaN;
      const b = enc.encode(v);
      return parseTimestampBytes(b, 0, b.length, true);
    };
    default: return (v) => (typeof v === 'number' ? v : NaN);
  }
}

/**
 * Writes `s` as UTF-8 at `b[p]` (room for 3 bytes per UTF-16 unit is assumed) and returns
 * the end. Written out by hand: the strings of a JSON line are short, and the call and
 * view allocation of `encodeInto` cost more than the encoding. A lone surrogate becomes
 * U+FFFD, as `TextEncoder` does.
 */
function encodeUtf8(s: string, b: Uint8Array, p: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) { b[p++] = c; continue; }
    if (c < 0x800) { b[p++] = 0xc0 | (c >> 6); b[p++] = 0x80 | (c & 63); continue; }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[p++] = 0xf0 | (c >> 18); b[p++] = 0x80 | ((c >> 12) & 63); b[p++] = 0x80 | ((c >> 6) & 63); b[p++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    b[p++] = 0xe0 | (c >> 12); b[p++] = 0x80 | ((c >> 6) & 63); b[p++] = 0x80 | (c & 63);
  }
  return p;
}

class FixedBuilder implements ColumnBuilder {
  last = -1;
  private readonly values: NumericArray;
  private valid?: Uint8Array;
  private readonly convert: (v: unknown) => number;
  /** float columns store NaN itself, so refusals are told apart by type instead */
  private readonly isFloat: boolean;

  constructor(private readonly type: DType, private readonly capacity: number) {
    this.values = allocValues(type, capacity);
    this.convert = converter(type);
    this.isFloat = type === 'float64' || type === 'float32';
  }

  set(row: number, v: unknown): boolean {
    if (v === null) { this.setNull(row); return true; }
    const x = this.convert(v);
    if (x !== x && !(this.isFloat && typeof v === 'number')) return false;
    this.values[row] = x;
    if (this.valid) this.valid[row] = 1;
    this.last = row;
    return true;
  }

  setNull(row: number): void {
    (this.valid ??= new Uint8Array(this.capacity).fill(1))[row] = 0;
    this.last = row;
  }

  finish(rows: number): Column {
    const valid = this.valid?.subarray(0, rows);
    let nulls = 0;
    if (valid) for (let i = 0; i < rows; i++) nulls += 1 - valid[i];
    return { type: this.type, length: rows, values: this.values.subarray(0, rows), valid: nulls ? valid : undefined, nullCount: nulls };
  }
}

class Utf8Builder implements ColumnBuilder {
  last = -1;
  private bytes: Uint8Array;
  private pos = 0;
  private readonly offsets: Int32Array;
  private valid?: Uint8Array;

  constructor(private readonly capacity: number, byteHint: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(64, byteHint));
  }

  private begin(row: number): void {
    // a key met twice in one object (e.g. "a.b" and {"a": {"b"}}): the later value wins
    if (row === this.last) this.pos = this.offsets[row];
    this.last = row;
  }

  set(row: number, v: unknown): boolean {
    if (v === null) { this.setNull(row); return true; }
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    this.begin(row);
    if (this.valid) this.valid[row] = 1;
    const need = this.pos + s.length * 3;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.pos));
      this.bytes = grown;
    }
    this.pos = encodeUtf8(s, this.bytes, this.pos);
    this.offsets[row + 1] = this.pos;
    return true;
  }

  setNull(row: number): void {
    this.begin(row);
    (this.valid ??= new Uint8Array(this.capacity).fill(1))[row] = 0;
    this.offsets[row + 1] = this.pos;
  }

  finish(rows: number): Column {
    const valid = this.valid?.subarray(0, rows);
    let nulls = 0;
    if (valid) for (let i = 0; i < rows; i++) nulls += 1 - valid[i];
    return {
      type: 'utf8', length: rows, values: this.bytes.subarray(0, this.offsets[rows]), offsets: this.offsets.subarray(0, rows + 1),
      valid: nulls ? valid : undefined, nullCount: nulls,
    };
  }
}

/**
 * A builder for `capacity` rows of `type`; `byteHint` sizes the first byte buffer of utf8.
 * @example const b = columnBuilder('int64', 10, 0); b.set(0, 42); b.finish(1).values[0] // 42
 */
export function columnBuilder(type: DType, capacity: number, byteHint: number): ColumnBuilder {
  return type === 'utf8' ? new Utf8Builder(capacity, byteHint) : new FixedBuilder(type, capacity);
}
