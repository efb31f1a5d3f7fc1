/** Line-oriented sources (API.md "Sources"): text lines and JSON lines. Lazy, like every source. */
import { PlanError, SchemaError } from './errors.js';
import { config, parseBytes } from './config.js';
import { DTYPES, type DType } from './types.js';
import { LazyFrame } from './lazyframe.js';
import { sourceRef } from '../io/catalog.js';
import type { SourceSpec } from '../io/source.js';

type Compression = 'infer' | 'none' | 'gzip' | 'zstd';
const COMPRESSIONS: readonly Compression[] = ['infer', 'none', 'gzip', 'zstd'];

/**
 * Options of readText (API.md).
 * @example ts.readText('big.log', { blocksize: '4MiB', maxLineBytes: '1MiB' } satisfies ReadTextOptions)
 */
export interface ReadTextOptions {
  /** bytes per partition (default: the `blocksize` setting, 16 MiB); '1KiB' strings accepted */
  blocksize?: number | string;
  /** 'infer' (default) picks gzip for .gz and zstd for .zst */
  compression?: Compression;
  /** longest accepted line (default 64 MiB); a longer one is a ResourceError */
  maxLineBytes?: number | string;
}

/**
 * Options of readJson (API.md).
 * @example ts.readJson('events.jsonl', { schema: { id: 'utf8' }, sampleLines: 5000 } satisfies ReadJsonOptions)
 */
export interface ReadJsonOptions extends ReadTextOptions {
  /** types of some or all columns, overriding inference; a name not in the sample adds a column */
  schema?: Record<string, DType>;
  /** lines of the first file the schema is inferred from (default 1000) */
  sampleLines?: number;
}

function pathList(p: string | string[], fn: string): string[] {
  const list = Array.isArray(p) ? p : [p];
  if (!list.length || list.some((x) => typeof x !== 'string' || !x)) throw new PlanError(`${fn}() expects a path, a glob or a list of them`);
  return list;
}

function lineOptions(opts: ReadTextOptions, fn: string): Record<string, unknown> {
  if (opts.compression !== undefined && !COMPRESSIONS.includes(opts.compression)) {
    throw new PlanError(`${fn}: unknown compression ${JSON.stringify(opts.compression)}; use one of ${COMPRESSIONS.map((c) => `'${c}'`).join(', ')}`);
  }
  const o: Record<string, unknown> = {
    blocksize: opts.blocksize !== undefined ? parseBytes(opts.blocksize, 'blocksize') : config().blocksize,
    compression: opts.compression ?? 'infer',
  };
  if (opts.maxLineBytes !== undefined) o.maxLineBytes = parseBytes(opts.maxLineBytes, 'maxLineBytes');
  return o;
}

const scanOf = (spec: SourceSpec): LazyFrame => new LazyFrame({ kind: 'Scan', source: sourceRef(spec), filters: [] });

/**
 * Reads text files lazily as one utf8 column `line`, one row per line, in byte-range
 * partitions of about `blocksize` that never cut a line. `\r\n` and `\n` end lines, a last
 * line without a line break counts, an empty file has no rows, invalid UTF-8 becomes U+FFFD
 * (the count appears as `invalidUtf8` in the task metrics). `.gz` / `.zst` files are read
 * whole, one partition per file.
 * @example
 * const long = await ts.readText('logs/*.log', { blocksize: '4MiB' })
 *   .filter(ts.col('line').str.len().gt(120)).collect();
 */
export function readText(path: string | string[], opts: ReadTextOptions = {}): LazyFrame {
  return scanOf({ format: 'text', paths: pathList(path, 'readText'), options: lineOptions(opts, 'readText') as SourceSpec['options'] });
}

/**
 * Reads JSON-lines files lazily: one object per line, blank lines skipped, nested objects
 * flattened to `a.b` columns. Types are inferred from the first `sampleLines` lines of the
 * first file (integers -> int64, other numbers -> float64, booleans -> bool, strings ->
 * utf8; arrays, mixed kinds and keys seen only as null -> utf8 holding the JSON text of
 * non-string values); `schema` overrides or adds columns. Keys that first appear after the
 * sample and are not in `schema` are ignored. Partitioned like {@link readText}.
 * @example
 * const perUser = await ts.readJson('events/*.jsonl', { schema: { 'user.id': 'utf8' } })
 *   .groupBy('user.id').agg({ n: ts.count() }).collect();
 */
export function readJson(path: string | string[], opts: ReadJsonOptions = {}): LazyFrame {
  const o = lineOptions(opts, 'readJson');
  if (opts.schema) {
    for (const [k, t] of Object.entries(opts.schema)) {
      if (!DTYPES.includes(t)) throw new SchemaError(`readJson: column "${k}" has unknown type ${JSON.stringify(t)}; types are ${DTYPES.join(', ')}`);
    }
    o.schema = { ...opts.schema };
  }
  if (opts.sampleLines !== undefined) {
    if (!Number.isInteger(opts.sampleLines) || opts.sampleLines < 1) throw new PlanError(`readJson: sampleLines must be a positive integer, got ${opts.sampleLines}`);
    o.sampleLines = opts.sampleLines;
  }
  return scanOf({ format: 'json', paths: pathList(path, 'readJson'), options: o as SourceSpec['options'] });
}
