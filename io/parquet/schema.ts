/**
 * Parquet schema -> Tessera dtypes, and row-group statistics -> partition stats.
 *
 * Only flat top-level columns are read (no lists, maps or structs). How each physical type
 * is turned into internal values is decided here once per column ({@link Leaf}) so the page
 * decoder does no type dispatch per value.
 */
import type { FileMetaData, RowGroup, SchemaElement, Statistics } from 'hyparquet';
import { NotImplementedError, SchemaError } from '../../core/errors.js';
import type { DType, Schema } from '../../core/types.js';
import type { ColumnStats } from '../source.js';

/** How a physical value becomes an internal one. */
export type Conv =
  | 'none'       // same representation (int32 family via typed-array assignment, floats, bool, utf8)
  | 'int64' | 'uint64'
  | 'millis' | 'micros' | 'nanos' // INT64 timestamps to microseconds
  | 'int96'      // legacy INT96 timestamps
  | 'decimal';   // INT32/INT64/fixed-length decimal to float64 (nearest double)

/** One readable column of a file. */
export interface Leaf {
  name: string;
  /** index of the column chunk in each row group */
  chunk: number;
  element: SchemaElement;
  dtype: DType;
  conv: Conv;
  /** decimal scale (conv === 'decimal') */
  scale: number;
  /** OPTIONAL: pages carry definition levels */
  optional: boolean;
}

function describeType(e: SchemaElement): string {
  const parts: string[] = [e.type ?? 'group'];
  if (e.logical_type) parts.push(JSON.stringify(e.logical_type));
  else if (e.converted_type) parts.push(e.converted_type);
  return parts.join(' ');
}

/** The dtype and conversion of a leaf, or a message saying why it is not supported. */
function mapType(e: SchemaElement): { dtype: DType; conv: Conv } | string {
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    if (e.type === 'INT32' || e.type === 'INT64' || (e.type === 'FIXED_LEN_BYTE_ARRAY' && (e.type_length ?? 0) > 0)) return { dtype: 'float64', conv: 'decimal' };
    return 'DECIMAL stored as a variable-length byte array is not supported';
  }
  switch (e.type) {
    case 'BOOLEAN': return { dtype: 'bool', conv: 'none' };
    case 'FLOAT': return lt?.type === 'FLOAT16' ? 'FLOAT16 is not supported' : { dtype: 'float32', conv: 'none' };
    case 'DOUBLE': return { dtype: 'float64', conv: 'none' };
    case 'INT32': {
      if (lt?.type === 'DATE' || ct === 'DATE') return { dtype: 'date', conv: 'none' };
      if (lt?.type === 'TIME' || ct === 'TIME_MILLIS') return 'TIME columns are not supported';
      if (lt?.type === 'INTEGER') {
        const { bitWidth: w, isSigned: s } = lt;
        return { dtype: (s ? (w === 8 ? 'int8' : w === 16 ? 'int16' : 'int32') : (w === 8 ? 'uint8' : w === 16 ? 'uint16' : 'uint32')), conv: 'none' };
      }
      switch (ct) {
        case 'INT_8': return { dtype: 'int8', conv: 'none' };
        case 'INT_16': return { dtype: 'int16', conv: 'none' };
        case 'UINT_8': return { dtype: 'uint8', conv: 'none' };
        case 'UINT_16': return { dtype: 'uint16', conv: 'none' };
        case 'UINT_32': return { dtype: 'uint32', conv: 'none' };
      }
      return { dtype: 'int32', conv: 'none' };
    }
    case 'INT64': {
      if (lt?.type === 'TIMESTAMP') return { dtype: 'timestamp', conv: lt.unit === 'MILLIS' ? 'millis' : lt.unit === 'NANOS' ? 'nanos' : 'micros' };
      if (ct === 'TIMESTAMP_MILLIS') return { dtype: 'timestamp', conv: 'millis' };
      if (ct === 'TIMESTAMP_MICROS') return { dtype: 'timestamp', conv: 'micros' };
      if (lt?.type === 'TIME' || ct === 'TIME_MICROS') return 'TIME columns are not supported';
      if ((lt?.type === 'INTEGER' && !lt.isSigned) || ct === 'UINT_64') return { dtype: 'uint64', conv: 'uint64' };
      return { dtype: 'int64', conv: 'int64' };
    }
    case 'INT96': return { dtype: 'timestamp', conv: 'int96' };
    case 'BYTE_ARRAY':
      if (lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON' || ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON') {
        return { dtype: 'utf8', conv: 'none' };
      }
      return 'binary (BYTE_ARRAY without a STRING annotation) is not supported';
    default:
      return `${e.type} is not supported`;
  }
}

/**
 * The readable columns of a file, by name. Nested or unsupported columns raise
 * NotImplementedError naming the column, unless `only` leaves them out.
 */
export function leavesOf(meta: FileMetaData, path: string, only?: string[]): Map<string, Leaf> {
  const schema = meta.schema;
  const root = schema[0];
  const out = new Map<string, Leaf>();
  let i = 1;
  let chunk = 0;
  const want = only ? new Set(only) : undefined;
  for (let c = 0; c < (root?.num_children ?? 0); c++) {
    const e = schema[i];
    if (!e) throw new SchemaError(`${path}: Parquet schema is truncated`);
    const leaves = countLeaves(schema, i);
    if (!want || want.has(e.name)) {
      if (e.num_children || !e.type) {
        throw new NotImplementedError(`${path}: column "${e.name}" is a nested ${e.logical_type?.type ?? e.converted_type ?? 'group'} column; only flat columns are supported${want ? '' : ' (pass readParquet(path, { columns }) to skip it)'}`);
      }
      if (e.repetition_type === 'REPEATED') {
        throw new NotImplementedError(`${path}: column "${e.name}" is a repeated column; only flat columns are supported${want ? '' : ' (pass readParquet(path, { columns }) to skip it)'}`);
      }
      const m = mapType(e);
      if (typeof m === 'string') {
        throw new NotImplementedError(`${path}: column "${e.name}" has Parquet type ${describeType(e)}: ${m}${want ? '' : ' (pass readParquet(path, { columns }) to skip it)'}`);
      }
      out.set(e.name, {
        name: e.name, chunk, element: e, dtype: m.dtype, conv: m.conv,
        scale: e.scale ?? (e.logical_type?.type === 'DECIMAL' ? e.logical_type.scale : 0) ?? 0,
        optional: e.repetition_type !== 'REQUIRED',
      });
    }
    const [next, n] = leaves;
    i = next;
    chunk += n;
  }
  return out;
}

/** Skips the subtree at schema[i]; returns [index after it, number of leaves in it]. */
function countLeaves(schema: SchemaElement[], i: number): [number, number] {
  const e = schema[i];
  if (!e.num_children) return [i + 1, 1];
  let j = i + 1, n = 0;
  for (let c = 0; c < e.num_children; c++) {
    if (j >= schema.length) throw new SchemaError(`Parquet schema is truncated below "${e.name}"`);
    const [next, k] = countLeaves(schema, j);
    j = next; n += k;
  }
  return [j, n];
}

/** The Tessera schema of the selected leaves, in `order` (file order when absent). */
export function schemaOf(leaves: Map<string, Leaf>, order?: string[]): Schema {
  const s: Schema = {};
  for (const name of order ?? leaves.keys()) {
    const l = leaves.get(name);
    if (l) s[name] = l.dtype;
  }
  return s;
}

function statValue(v: Statistics['min'], leaf: Leaf): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string') return leaf.dtype === 'utf8' ? v : undefined;
  return undefined;
}

/**
 * Column statistics of one row group in internal units (timestamps in microseconds, dates
 * in days, 64-bit integers as numbers). Missing bounds are left out rather than guessed.
 */
export function rowGroupStats(rg: RowGroup, leaves: Iterable<Leaf>): Record<string, ColumnStats> {
  const out: Record<string, ColumnStats> = {};
  for (const leaf of leaves) {
    const st = rg.columns[leaf.chunk]?.meta_data?.statistics;
    if (!st) continue;
    const s: ColumnStats = {};
    if (st.null_count !== undefined) s.nullCount = Number(st.null_count);
    // The deprecated min/max used signed byte order, wrong for strings and unsigned types;
    // they are only a fallback for signed numbers. INT96 has no defined order at all.
    const legacyOk = leaf.conv !== 'int96' && leaf.dtype !== 'utf8' && leaf.conv !== 'uint64' &&
      leaf.dtype !== 'uint8' && leaf.dtype !== 'uint16' && leaf.dtype !== 'uint32';
    if (leaf.conv !== 'int96') {
      const min = statValue(st.min_value ?? (legacyOk ? st.min : undefined), leaf);
      const max = statValue(st.max_value ?? (legacyOk ? st.max : undefined), leaf);
      if (min !== undefined) s.min = min;
      if (max !== undefined) s.max = max;
    }
    out[leaf.name] = s;
  }
  return out;
}
