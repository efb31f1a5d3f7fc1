/**
 * Conversions between Tessera's internal columns (core/types.ts) and apache-arrow.
 *
 * Everything works on whole typed arrays: 64-bit integers move between a Float64Array and
 * a BigInt64Array through their two 32-bit halves (no BigInt per value), validity bytes
 * are packed into / unpacked from Arrow bitmaps eight rows at a time.
 *
 * Type mapping (internal <-> Arrow):
 * - int64/uint64 <-> Int64/Uint64 (exact for |v| <= 2^53, see core/types.ts)
 * - timestamp <-> Timestamp(MICROSECOND, no time zone): the internal value is UTC
 *   microseconds, and a zone-less timestamp is what DuckDB's TIMESTAMP reads and writes.
 *   Arrow timestamps of any unit and zone are read as UTC microseconds.
 * - date <-> DateDay (DateMillisecond is read too)
 * - utf8 <-> Utf8 (LargeUtf8, Utf8View and dictionary-encoded columns are decoded to utf8)
 * - bool <-> Bool (bit-packed in Arrow, one byte per row internally)
 */
import * as arrow from 'apache-arrow';
import { NotImplementedError, SchemaError } from './errors.js';
import { allocValues, type Batch, type Column, type DType, type NumericArray, type Schema } from './types.js';
import { float64ToInt64Words, int64WordsToFloat64, nanosWordsToMicros, packBits, unpackBits, wordsOf } from './bits.js';

export { float64ToInt64Words, int64WordsToFloat64, nanosWordsToMicros, packBits, unpackBits, wordsOf } from './bits.js';

/**
 * The Arrow type Tessera writes for a dtype.
 * @example dtypeToArrowType('timestamp') // Timestamp(MICROSECOND), no time zone
 */
export function dtypeToArrowType(d: DType): arrow.DataType {
  switch (d) {
    case 'bool': return new arrow.Bool();
    case 'int8': return new arrow.Int8();
    case 'int16': return new arrow.Int16();
    case 'int32': return new arrow.Int32();
    case 'int64': return new arrow.Int64();
    case 'uint8': return new arrow.Uint8();
    case 'uint16': return new arrow.Uint16();
    case 'uint32': return new arrow.Uint32();
    case 'uint64': return new arrow.Uint64();
    case 'float32': return new arrow.Float32();
    case 'float64': return new arrow.Float64();
    case 'utf8': return new arrow.Utf8();
    case 'date': return new arrow.DateDay();
    case 'timestamp': return new arrow.TimestampMicrosecond();
  }
}

/**
 * The dtype an Arrow type is read as; NotImplementedError for types Tessera has no column for.
 * @example arrowTypeToDType(new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())) // 'utf8'
 */
export function arrowTypeToDType(t: arrow.DataType): DType {
  switch (t.typeId) {
    case arrow.Type.Bool: return 'bool';
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      const bits = it.bitWidth;
      if (it.isSigned) return bits === 8 ? 'int8' : bits === 16 ? 'int16' : bits === 32 ? 'int32' : 'int64';
      return bits === 8 ? 'uint8' : bits === 16 ? 'uint16' : bits === 32 ? 'uint32' : 'uint64';
    }
    case arrow.Type.Float: {
      const p = (t as arrow.Float).precision;
      return p === arrow.Precision.DOUBLE ? 'float64' : 'float32';
    }
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: case arrow.Type.Utf8View: return 'utf8';
    case arrow.Type.Date: return 'date';
    case arrow.Type.Timestamp: return 'timestamp';
    case arrow.Type.Dictionary: return arrowTypeToDType((t as arrow.Dictionary).dictionary);
    default:
      throw new NotImplementedError(`Arrow type ${String(t)} has no Tessera column type; supported: bool, integers, floats, utf8 (also large/dictionary), date, timestamp`);
  }
}

// ---------------------------------------------------------------------------------------
// internal -> Arrow

function nullBitmapOf(c: Column): Uint8Array | undefined {
  return c.nullCount > 0 && c.valid ? packBits(c.valid, c.length) : undefined;
}

/**
 * One internal column as Arrow Data of the type for `dtype`.
 * @example const d = columnToArrowData(batch.columns.x); arrow.makeVector(d)
 */
export function columnToArrowData(c: Column, dtype: DType = c.type): arrow.Data {
  const n = c.length;
  const nullBitmap = nullBitmapOf(c);
  const nullCount = nullBitmap ? c.nullCount : 0;
  const type = dtypeToArrowType(dtype);
  switch (dtype) {
    case 'utf8': {
      let offsets = c.offsets!;
      let values = c.values as Uint8Array;
      const base = offsets[0];
      if (base !== 0) {
        offsets = offsets.slice(0, n + 1);
        for (let i = 0; i <= n; i++) offsets[i] -= base;
        values = values.subarray(base, base + offsets[n]);
      } else if (offsets.length !== n + 1) offsets = offsets.subarray(0, n + 1);
      return arrow.makeData({ type: type as arrow.Utf8, length: n, nullCount, nullBitmap, valueOffsets: offsets, data: values });
    }
    case 'bool':
      return arrow.makeData({ type: type as arrow.Bool, length: n, nullCount, nullBitmap, data: packBits(c.values as Uint8Array, n) });
    case 'int64': case 'uint64': case 'timestamp': {
      const big = new BigInt64Array(n);
      float64ToInt64Words(c.values, wordsOf(big), n);
      const data = dtype === 'uint64' ? new BigUint64Array(big.buffer) : big;
      return arrow.makeData({ type: type as arrow.Int64, length: n, nullCount, nullBitmap, data: data as BigInt64Array });
    }
    default: {
      let values = c.values;
      const Want = allocValues(dtype, 0).constructor as { new(a: ArrayLike<number>): NumericArray };
      if (!(values instanceof Want)) values = new Want(values.subarray(0, n));
      else if (values.length !== n) values = values.subarray(0, n);
      return arrow.makeData({ type: type as arrow.Int32, length: n, nullCount, nullBitmap, data: values as Int32Array });
    }
  }
}

function arrowSchemaOf(schema: Schema): arrow.Schema {
  return new arrow.Schema(Object.entries(schema).map(([name, d]) => new arrow.Field(name, dtypeToArrowType(d), true)));
}

/**
 * A batch as an Arrow RecordBatch with the schema's column order and types.
 * @example const rb = batchToRecordBatch(batch, { x: 'int64', s: 'utf8' })
 */
export function batchToRecordBatch(b: Batch, schema: Schema): arrow.RecordBatch {
  const aschema = arrowSchemaOf(schema);
  const children = Object.entries(schema).map(([name, d]) => {
    const c = b.columns[name];
    if (!c) throw new SchemaError(`column "${name}" missing from batch; it has: ${Object.keys(b.columns).join(', ')}`);
    return columnToArrowData(c, d);
  });
  const data = arrow.makeData({ type: new arrow.Struct(aschema.fields), length: b.length, nullCount: 0, children });
  return new arrow.RecordBatch(aschema, data);
}

/**
 * Batches as one Arrow Table (one record batch per non-empty batch). Zero batches give an
 * empty table that still carries the schema.
 * @example const t = batchesToTable(batches, schema); t.numRows
 */
export function batchesToTable(batches: Batch[], schema: Schema): arrow.Table {
  const rbs = batches.filter((b) => b.length > 0).map((b) => batchToRecordBatch(b, schema));
  if (rbs.length === 0) return new arrow.Table(arrowSchemaOf(schema));
  return new arrow.Table(rbs);
}

// ---------------------------------------------------------------------------------------
// Arrow -> internal

function validityOf(d: arrow.Data, n: number): { valid?: Uint8Array; nullCount: number } {
  const bitmap = d.nullBitmap;
  if (!bitmap || bitmap.length === 0 || d.nullCount === 0) return { nullCount: 0 };
  const valid = new Uint8Array(n);
  const zeros = unpackBits(bitmap, d.offset, n, valid);
  return zeros ? { valid, nullCount: zeros } : { nullCount: 0 };
}

const MICROS_PER: Record<number, number> = {
  [arrow.TimeUnit.SECOND]: 1e6, [arrow.TimeUnit.MILLISECOND]: 1e3, [arrow.TimeUnit.MICROSECOND]: 1,
};

/**
 * The first n values, as a view when they fill most of their buffer (a record batch read from
 * a file: copying would only double the memory traffic), else as a copy, so a batch that is
 * transferred between threads does not drag a much larger buffer along.
 */
function ownValues(v: NumericArray, n: number, keepViews: boolean): NumericArray {
  const view = v.subarray(0, n);
  return keepViews || view.byteLength * 2 >= v.buffer.byteLength ? view : view.slice();
}

/**
 * One Arrow Data (a single chunk of a column) as an internal column. Fixed-width values stay
 * views of Arrow's buffer when they fill most of it (or always with `keepViews`, for bytes the
 * caller owns), else are copied so a small column does not pin a large buffer.
 * @example const col = arrowDataToColumn(rb.getChild('x')!.data[0])
 */
export function arrowDataToColumn(d: arrow.Data, keepViews = false): Column {
  const n = d.length;
  const t = d.type as arrow.DataType;
  const type = arrowTypeToDType(t);
  if (t.typeId === arrow.Type.Dictionary) return dictionaryToColumn(d, type);
  const { valid, nullCount } = validityOf(d, n);
  switch (t.typeId) {
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: {
      const src = d.valueOffsets as Int32Array | BigInt64Array;
      const offsets = new Int32Array(n + 1);
      let base: number;
      if (src instanceof BigInt64Array) {
        base = Number(src[0]);
        const last = Number(src[n]) - base;
        if (last > 0x7fffffff) throw new NotImplementedError(`LargeUtf8 column chunk holds ${last} bytes; at most 2^31-1 fit in one batch`);
        for (let i = 0; i <= n; i++) offsets[i] = Number(src[i]) - base;
      } else {
        base = src[0];
        if (base === 0) offsets.set(src.subarray(0, n + 1));
        else for (let i = 0; i <= n; i++) offsets[i] = src[i] - base;
      }
      const values = (d.values as Uint8Array).slice(base, base + offsets[n]);
      return { type, length: n, values, offsets, valid, nullCount };
    }
    case arrow.Type.Utf8View: return utf8ViewToColumn(d, valid, nullCount);
    case arrow.Type.Bool: {
      const values = new Uint8Array(n);
      unpackBits(d.values as Uint8Array, d.offset, n, values);
      return { type, length: n, values, valid, nullCount };
    }
    case arrow.Type.Int: {
      const bits = (t as arrow.Int).bitWidth;
      if (bits === 64) {
        const values = new Float64Array(n);
        int64WordsToFloat64(wordsOf(d.values as BigInt64Array), values, n, type === 'uint64');
        return { type, length: n, values, valid, nullCount };
      }
      return { type, length: n, values: ownValues(d.values as NumericArray, n, keepViews), valid, nullCount };
    }
    case arrow.Type.Float: {
      if ((t as arrow.Float).precision === arrow.Precision.HALF) {
        const src = d.values as Uint16Array;
        const values = new Float32Array(n);
        for (let i = 0; i < n; i++) values[i] = halfToFloat(src[i]);
        return { type, length: n, values, valid, nullCount };
      }
      return { type, length: n, values: ownValues(d.values as NumericArray, n, keepViews), valid, nullCount };
    }
    case arrow.Type.Date: {
      if ((t as arrow.Date_).unit === arrow.DateUnit.DAY) return { type, length: n, values: (d.values as Int32Array).slice(0, n), valid, nullCount };
      // DateMillisecond: int64 milliseconds
      const ms = new Float64Array(n);
      int64WordsToFloat64(wordsOf(d.values as BigInt64Array), ms, n);
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = Math.floor(ms[i] / 86400000);
      return { type, length: n, values, valid, nullCount };
    }
    case arrow.Type.Timestamp: {
      const unit = (t as arrow.Timestamp).unit;
      const words = wordsOf(d.values as BigInt64Array);
      const values = new Float64Array(n);
      if (unit === arrow.TimeUnit.NANOSECOND) nanosWordsToMicros(words, values, n);
      else {
        int64WordsToFloat64(words, values, n);
        const k = MICROS_PER[unit];
        if (k !== 1) for (let i = 0; i < n; i++) values[i] *= k;
      }
      return { type, length: n, values, valid, nullCount };
    }
  }
  throw new NotImplementedError(`Arrow type ${String(t)} is not supported`);
}

/** Utf8View: 16-byte views holding the length and either the bytes (<= 12) or a buffer reference. */
function utf8ViewToColumn(d: arrow.Data, valid: Uint8Array | undefined, nullCount: number): Column {
  const n = d.length;
  const views = d.values as Uint8Array;
  const buffers = (d as unknown as { variadicBuffers: Uint8Array[] }).variadicBuffers ?? [];
  const w = new DataView(views.buffer, views.byteOffset, views.byteLength);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!valid || valid[i]) total += Math.max(0, w.getInt32(16 * i, true));
    offsets[i + 1] = total;
  }
  const values = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const size = offsets[i + 1] - offsets[i];
    if (size === 0) continue;
    if (size <= 12) values.set(views.subarray(16 * i + 4, 16 * i + 4 + size), offsets[i]);
    else {
      const buf = buffers[w.getInt32(16 * i + 8, true)];
      const at = w.getInt32(16 * i + 12, true);
      if (!buf || at < 0 || at + size > buf.length) throw new Error(`Utf8View value ${i} points outside its data buffer`);
      values.set(buf.subarray(at, at + size), offsets[i]);
    }
  }
  return { type: 'utf8', length: n, values, offsets, valid, nullCount };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 0x1f) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function dictionaryToColumn(d: arrow.Data, type: DType): Column {
  const n = d.length;
  const dictVec = d.dictionary;
  if (!dictVec) throw new NotImplementedError('dictionary-encoded Arrow column without a dictionary');
  const parts = dictVec.data.map((x) => arrowDataToColumn(x as arrow.Data));
  const dict = parts.length === 1 ? parts[0] : concatSimple(parts);
  const idxSrc = d.values as NumericArray | BigInt64Array | BigUint64Array;
  const idx = new Int32Array(n);
  if (idxSrc instanceof BigInt64Array || idxSrc instanceof BigUint64Array) {
    const w = wordsOf(idxSrc);
    for (let i = 0; i < n; i++) idx[i] = w[2 * i];
  } else idx.set(idxSrc.subarray(0, n));
  const { valid: ownValid, nullCount: ownNulls } = validityOf(d, n);
  // a null can also come from a null dictionary entry
  let valid = ownValid;
  let nullCount = ownNulls;
  if (dict.nullCount > 0 && dict.valid) {
    valid ??= new Uint8Array(n).fill(1);
    nullCount = 0;
    for (let i = 0; i < n; i++) {
      const v = valid[i] & dict.valid[valid[i] ? idx[i] : 0];
      valid[i] = v; nullCount += v ^ 1;
    }
    if (nullCount === 0) valid = undefined;
  }
  if (valid) for (let i = 0; i < n; i++) if (!valid[i]) idx[i] = 0;
  if (dict.length === 0) {
    // every row is null
    return type === 'utf8'
      ? { type, length: n, values: new Uint8Array(0), offsets: new Int32Array(n + 1), valid, nullCount }
      : { type, length: n, values: allocValues(type, n), valid, nullCount };
  }
  if (type === 'utf8') {
    const off = dict.offsets!, src = dict.values as Uint8Array;
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const j = idx[i];
      if (!valid || valid[i]) total += off[j + 1] - off[j];
      offsets[i + 1] = total;
    }
    const values = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const j = idx[i], s = off[j], e = off[j + 1];
      let o = offsets[i];
      if (o === offsets[i + 1]) continue;
      if (e - s < 24) for (let k = s; k < e; k++) values[o++] = src[k];
      else values.set(src.subarray(s, e), o);
    }
    return { type, length: n, values, offsets, valid, nullCount };
  }
  const values = allocValues(type, n);
  const src = dict.values;
  for (let i = 0; i < n; i++) values[i] = src[idx[i]];
  return { type, length: n, values, valid, nullCount };
}

function concatSimple(cols: Column[]): Column {
  const type = cols[0].type;
  let n = 0, nulls = 0;
  for (const c of cols) { n += c.length; nulls += c.nullCount; }
  const valid = nulls ? new Uint8Array(n) : undefined;
  let o = 0;
  if (valid) for (const c of cols) { if (c.valid) valid.set(c.valid, o); else valid.fill(1, o, o + c.length); o += c.length; }
  if (type === 'utf8') {
    let bytes = 0;
    for (const c of cols) bytes += c.values.length;
    const values = new Uint8Array(bytes);
    const offsets = new Int32Array(n + 1);
    let r = 0, b = 0;
    for (const c of cols) {
      values.set(c.values as Uint8Array, b);
      for (let i = 1; i <= c.length; i++) offsets[r + i] = b + c.offsets![i];
      r += c.length; b += c.values.length;
    }
    return { type, length: n, values, offsets, valid, nullCount: nulls };
  }
  const values = allocValues(type, n);
  o = 0;
  for (const c of cols) { (values as Float64Array).set(c.values as Float64Array, o); o += c.length; }
  return { type, length: n, values, valid, nullCount: nulls };
}

/**
 * An Arrow RecordBatch as an internal batch, optionally only the named columns (in that order).
 * Throws SchemaError for a name the batch does not have.
 * @example const b = recordBatchToBatch(table.batches[0], ['origin', 'delay'])
 */
export function recordBatchToBatch(rb: arrow.RecordBatch, columns?: string[]): Batch {
  const names = columns ?? rb.schema.fields.map((f) => f.name);
  const out: Record<string, Column> = {};
  for (const name of names) {
    const i = rb.schema.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new SchemaError(`column "${name}" not found; available: ${rb.schema.fields.map((f) => f.name).join(', ')}`);
    out[name] = arrowDataToColumn(rb.data.children[i] as arrow.Data);
  }
  return { length: rb.numRows, columns: out };
}
