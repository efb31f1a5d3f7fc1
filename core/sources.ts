/** Source constructors (API.md "Sources"). All lazy: nothing is read until a query runs. */
import type * as arrow from 'apache-arrow';
import { PlanError, SchemaError } from './errors.js';
import { parseBytes } from './config.js';
import { config } from './config.js';
import type { Batch, Column, DType, Schema } from './types.js';
import { DTYPES } from './types.js';
import { LazyFrame } from './lazyframe.js';
import { sourceRef } from '../io/catalog.js';
import { registerMemory } from '../io/memory.js';
import type { CsvOptions, SourceSpec } from '../io/source.js';
import { numericFromValues, utf8FromStrings } from '../ops/column/build.js';
import { arrowTypeToDType, recordBatchToBatch } from './arrow.js';

const paths = (p: string | string[], fn: string): string[] => {
  const list = Array.isArray(p) ? p : [p];
  if (!list.length || list.some((x) => typeof x !== 'string' || !x)) throw new PlanError(`${fn}() expects a path, a glob or a list of them`);
  return list;
};

const scanOf = (spec: SourceSpec): LazyFrame => new LazyFrame({ kind: 'Scan', source: sourceRef(spec), filters: [] });

/** Options of readCsv (API.md). */
export interface ReadCsvOptions {
  schema?: Record<string, DType>;
  header?: boolean;
  delimiter?: string;
  quote?: string;
  nullValues?: string[];
  compression?: 'infer' | 'none' | 'gzip' | 'zstd';
  blocksize?: number | string;
}

/**
 * Reads CSV files lazily, in byte-range partitions parsed in parallel.
 * @example ts.readCsv('data/*.csv', { schema: { id: 'utf8' } }).groupBy('id').agg({ n: ts.count() })
 */
export function readCsv(path: string | string[], opts: ReadCsvOptions = {}): LazyFrame {
  if (opts.schema) for (const [k, t] of Object.entries(opts.schema)) {
    if (!DTYPES.includes(t)) throw new SchemaError(`readCsv: column "${k}" has unknown type ${JSON.stringify(t)}; types are ${DTYPES.join(', ')}`);
  }
  if (opts.delimiter !== undefined && opts.delimiter.length !== 1) throw new PlanError(`readCsv: delimiter must be one character, got ${JSON.stringify(opts.delimiter)}`);
  const options: CsvOptions = { ...opts, blocksize: opts.blocksize !== undefined ? parseBytes(opts.blocksize, 'blocksize') : config().blocksize };
  return scanOf({ format: 'csv', paths: paths(path, 'readCsv'), options: options as SourceSpec['options'] });
}

/**
 * Reads Parquet files lazily; row groups are partitions; only needed columns are decoded.
 * @example ts.readParquet('flights.parquet', { columns: ['origin', 'delay'] })
 */
export function readParquet(path: string | string[], opts: { columns?: string[] } = {}): LazyFrame {
  return scanOf({ format: 'parquet', paths: paths(path, 'readParquet'), options: { ...opts } });
}

/**
 * Reads Arrow IPC files (file or stream format) lazily, record batch by record batch.
 * @example ts.readArrow('data.arrow').collect()
 */
export function readArrow(path: string | string[]): LazyFrame {
  return scanOf({ format: 'arrow', paths: paths(path, 'readArrow'), options: {} });
}

/**
 * A LazyFrame over an in-memory apache-arrow Table.
 * @example ts.fromArrow(table, { chunkRows: 100_000 })
 */
export function fromArrow(table: arrow.Table, opts: { chunkRows?: number } = {}): LazyFrame {
  const schema: Schema = {};
  for (const f of table.schema.fields) schema[f.name] = arrowTypeToDType(f.type);
  const batches = table.batches.map((rb) => recordBatchToBatch(rb));
  return scanOf(registerMemory(batches, schema, opts.chunkRows));
}

type ColumnInput = ArrayLike<unknown>;

function inferColumn(name: string, data: ColumnInput): Column {
  if (data instanceof Float64Array) return { type: 'float64', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Float32Array) return { type: 'float32', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Int32Array) return { type: 'int32', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Int16Array) return { type: 'int16', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Int8Array) return { type: 'int8', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Uint32Array) return { type: 'uint32', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Uint16Array) return { type: 'uint16', length: data.length, values: data, nullCount: 0 };
  if (data instanceof Uint8Array) return { type: 'uint8', length: data.length, values: data, nullCount: 0 };
  if (data instanceof BigInt64Array) return numericFromValues('int64', Array.from(data, Number));
  if (!Array.isArray(data)) throw new SchemaError(`fromColumns: column "${name}" must be a typed array or an array`);
  let kind: string | undefined;
  let allInt = true;
  for (const v of data) {
    if (v === null || v === undefined) continue;
    const k = v instanceof Date ? 'date' : typeof v;
    if (kind && kind !== k) throw new SchemaError(`fromColumns: column "${name}" mixes ${kind} and ${k} values`);
    kind = k;
    if (k === 'number' && !Number.isInteger(v)) allInt = false;
  }
  switch (kind) {
    case 'string': return utf8FromStrings(data as (string | null)[]);
    case 'boolean': return numericFromValues('bool', data);
    case 'bigint': return numericFromValues('int64', data);
    case 'date': return numericFromValues('timestamp', data);
    case 'number': case undefined: return numericFromValues(allInt && kind ? 'int64' : 'float64', data);
    default: throw new SchemaError(`fromColumns: column "${name}" has unsupported values of type ${kind}`);
  }
}

/**
 * A LazyFrame over JS columns: typed arrays keep their type; number[] becomes int64 when all
 * values are integers, else float64; string[] utf8; boolean[] bool; Date[] timestamp; null = null.
 * @example ts.fromColumns({ k: ['a', 'b', 'a'], x: [1, 2, 3] })
 */
export function fromColumns(cols: Record<string, ColumnInput>, opts: { chunkRows?: number } = {}): LazyFrame {
  const names = Object.keys(cols);
  if (!names.length) throw new PlanError('fromColumns() needs at least one column');
  const columns: Batch['columns'] = {};
  const schema: Schema = {};
  let n = -1;
  for (const k of names) {
    const c = inferColumn(k, cols[k]);
    if (n >= 0 && c.length !== n) throw new SchemaError(`fromColumns: column "${k}" has ${c.length} values, expected ${n} like the others`);
    n = c.length; columns[k] = c; schema[k] = c.type;
  }
  return scanOf(registerMemory([{ length: n, columns }], schema, opts.chunkRows));
}
