/**
 * `fromColumn`: a 1-D float64 array over a numeric column of a LazyFrame (any source).
 *
 * Design: building the array describes the frame's sources, as `df.schema()` does (schema, and
 * row counts where the format records them: Parquet row groups, Arrow IPC record batches,
 * frames in memory), and reads no data. Unknown or non-numeric columns fail right there. When
 * the length follows from that description (the source's rows, through selects, sorts, limits)
 * the array has a known shape like any other. Otherwise (CSV, text, a filter, a join...) the
 * length is known only once the frame runs: the array is deferred (shape `[NaN]`, see
 * deferred.ts) and everything built on it is replayed with the real length at compute time.
 * Either way the frame runs once per computation, when the array computes (column-read.ts):
 * one pass, nulls become NaN, values stay in memory up to 1/16 of `memoryLimit` (at most 4M
 * values) and go to a temporary file beyond, which chunk tasks read in parallel.
 */
import { PlanError, SchemaError } from '../errors.js';
import { LazyFrame } from '../lazyframe.js';
import { isNumericType } from '../types.js';
import { bindSync } from '../../planner/bind.js';
import { unknownColumn } from '../../planner/expr/typecheck.js';
import type { LogicalPlan } from '../../planner/logical/nodes.js';
import { planSchema } from '../../planner/logical/schema.js';
import { normalizeChunks } from './chunks.js';
import { FrameColumn } from './column-read.js';
import { LazyArray } from './lazy-array.js';

/**
 * Options of {@link fromColumn}.
 * @example ts.array.fromColumn(df, 'x', { chunks: 500_000 })
 */
export interface FromColumnOptions {
  /** Values per chunk (default 1M, 2^20). */
  chunks?: number | [number];
}

/**
 * Default chunk length of column arrays: big enough to amortize a task, small enough for many in flight.
 * @example ts.array.fromColumn(df, 'x').chunks[0][0] // 1048576 for a longer column
 */
export const COLUMN_CHUNK = 1 << 20;

/** Rows of a bound plan when its sources' metadata gives them and nothing in between drops rows. */
function knownRows(p: LogicalPlan): number | undefined {
  switch (p.kind) {
    case 'Scan': {
      const parts = p.source.info?.partitions;
      if (p.filters.length || !parts || parts.some((x) => x.rows === undefined)) return undefined;
      return parts.reduce((a, x) => a + x.rows!, 0);
    }
    case 'Project': case 'Sort': return knownRows(p.input);
    case 'Limit': { const n = knownRows(p.input); return n === undefined ? undefined : Math.min(n, p.n); }
    case 'Aggregate': return p.keys.length === 0 ? 1 : undefined;
    default: return undefined;
  }
}

function chunkLength(spec: unknown): number {
  const c = Array.isArray(spec) && spec.length === 1 ? spec[0] : spec ?? COLUMN_CHUNK;
  if (typeof c !== 'number' || !Number.isInteger(c) || c <= 0) throw new PlanError(`fromColumn: chunks must be a positive integer (values per chunk), got ${JSON.stringify(spec)}`);
  return c;
}

/**
 * A 1-D float64 array over column `name` of `df`; nulls are NaN. Nothing runs until the array
 * computes. The shape is `[rows]` when the source's metadata gives the row count (Parquet,
 * Arrow IPC, frames in memory, with no filter), else `[NaN]` until computed (CSV, filters).
 * @throws SchemaError for an unknown column (listing the valid ones) or a non-numeric one
 *   (utf8, bool, date, timestamp), naming the column and its dtype.
 * @example
 * const x = ts.array.fromColumn(ts.readParquet('flights.parquet'), 'delay', { chunks: 500_000 });
 * const { data } = await x.cumsum().compute();
 */
export function fromColumn(df: LazyFrame, name: string, opts: FromColumnOptions = {}): LazyArray {
  if (!(df instanceof LazyFrame)) throw new PlanError(`fromColumn: expected a LazyFrame (ts.readCsv, ts.readParquet, ...), got ${typeof df}`);
  if (typeof name !== 'string') throw new PlanError(`fromColumn: the column name must be a string, got ${typeof name}`);
  const chunk = chunkLength(opts?.chunks);
  const bound = bindSync(df.plan);
  const schema = planSchema(bound);
  if (!(name in schema)) throw new SchemaError(`fromColumn: ${unknownColumn(name, schema).message}`);
  const dtype = schema[name];
  if (!isNumericType(dtype)) {
    throw new SchemaError(`fromColumn: column "${name}" has dtype ${dtype}; an array needs a numeric column (int8..int64, uint8..uint64, float32, float64)`);
  }
  const rows = knownRows(bound);
  const ref = new FrameColumn(df, name, rows);
  if (rows !== undefined) return new LazyArray({ op: 'column', shape: [rows], source: ref }, normalizeChunks(chunk, [rows]));
  return new LazyArray({ op: 'pending', shape: [NaN] }, [[NaN]], {
    inputs: [],
    make: async (_, session) => {
      const r = await session.column(ref);
      return new LazyArray(r.node, normalizeChunks(chunk, [r.rows]));
    },
  });
}
