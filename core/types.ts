/**
 * The in-memory column format every reader produces and every kernel consumes.
 *
 * Columns are plain objects over typed arrays, so a batch crosses a worker boundary by
 * transferring its ArrayBuffers (see {@link batchTransferList}) and never by cloning values.
 * Conversion to and from apache-arrow happens only at the public boundary (core/arrow.ts).
 *
 * Physical layout per dtype:
 * - bool: Uint8Array, one byte per row (0/1)
 * - int8/16/32, uint8/16/32, float32, float64: the matching typed array
 * - int64, uint64: Float64Array holding integral values, exact for |v| <= 2^53
 * - date: Int32Array, days since 1970-01-01
 * - timestamp: Float64Array, microseconds since 1970-01-01T00:00:00Z (UTC), exact within
 *   ±2^53 µs (about years 1685..2255); further out, sub-millisecond digits round
 * - utf8: `values` is a Uint8Array of UTF-8 bytes, `offsets` an Int32Array of length+1
 * Nulls: `valid` is a Uint8Array with one byte per row (1 = value present), absent when
 * the column has no nulls (`nullCount === 0`); kernels take a fast path then.
 */

/** Logical column types (API.md). */
export type DType =
  | 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float32' | 'float64' | 'utf8' | 'date' | 'timestamp';

export const DTYPES: readonly DType[] = [
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
  'float32', 'float64', 'utf8', 'date', 'timestamp',
];

export type NumericArray =
  | Uint8Array | Int8Array | Int16Array | Int32Array | Uint16Array | Uint32Array
  | Float32Array | Float64Array;

export interface Column {
  type: DType;
  length: number;
  /** Values (see the layout table above). For utf8, the UTF-8 bytes of all values. */
  values: NumericArray;
  /** utf8 only: offsets into `values`, length + 1 entries. */
  offsets?: Int32Array;
  /** One byte per row, 1 = present; undefined when there are no nulls. */
  valid?: Uint8Array;
  nullCount: number;
  /**
   * Dictionary-encoded form: `values` is an Int32Array of codes into this plain column of
   * the same type (and `offsets` is absent). Readers produce it only for columns the caller
   * asked for (utf8 group keys; numeric inputs only sum/mean/min/max/count read, see
   * planner/scheduler/dict-columns.ts), and `plain()` (ops/column/dict.ts) turns it into the
   * plain form.
   */
  dictionary?: Column;
}

/** A chunk of rows: named columns of equal length. Column order is the schema order. */
export interface Batch {
  length: number;
  columns: Record<string, Column>;
}

/** Ordered column name -> dtype map. */
export type Schema = Record<string, DType>;

/** The schema a batch carries in its columns. */
export function batchSchema(b: Batch): Schema {
  const s: Schema = {};
  for (const [k, c] of Object.entries(b.columns)) s[k] = c.type;
  return s;
}

export const isNumericType = (t: DType): boolean =>
  t !== 'utf8' && t !== 'bool' && t !== 'date' && t !== 'timestamp';
export const isIntegerType = (t: DType): boolean =>
  t === 'int8' || t === 'int16' || t === 'int32' || t === 'int64' ||
  t === 'uint8' || t === 'uint16' || t === 'uint32' || t === 'uint64';

/** Allocates the value array for `n` rows of a fixed-width dtype. */
export function allocValues(type: DType, n: number): NumericArray {
  switch (type) {
    case 'bool': case 'uint8': return new Uint8Array(n);
    case 'int8': return new Int8Array(n);
    case 'int16': return new Int16Array(n);
    case 'uint16': return new Uint16Array(n);
    case 'int32': case 'date': return new Int32Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'float32': return new Float32Array(n);
    case 'int64': case 'uint64': case 'float64': case 'timestamp': return new Float64Array(n);
    case 'utf8': throw new Error('utf8 has no fixed-width value array');
  }
}

/** The ArrayBuffers of a batch, for `transferList` / `Piscina.move`. Deduplicated. */
export function batchTransferList(b: Batch, into: ArrayBuffer[] = []): ArrayBuffer[] {
  for (const c of Object.values(b.columns)) columnTransferList(c, into);
  return into;
}

export function columnTransferList(c: Column, into: ArrayBuffer[] = []): ArrayBuffer[] {
  for (const a of [c.values, c.offsets, c.valid]) {
    if (a && a.buffer instanceof ArrayBuffer && !into.includes(a.buffer)) into.push(a.buffer);
  }
  if (c.dictionary) columnTransferList(c.dictionary, into);
  return into;
}

/** Bytes of ArrayBuffer data a batch holds (for metrics and the memory ledger). */
export function batchBytes(b: Batch): number {
  let n = 0;
  for (const c of Object.values(b.columns)) {
    n += c.values.byteLength + (c.offsets?.byteLength ?? 0) + (c.valid?.byteLength ?? 0) + (c.dictionary ? batchBytes({ length: 0, columns: { d: c.dictionary } }) : 0);
  }
  return n;
}
