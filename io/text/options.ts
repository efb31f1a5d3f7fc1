/**
 * Options shared by the line-oriented sources (text and JSON lines), resolved once from the
 * plain-JSON spec options so every worker applies the same defaults.
 */
import { PlanError } from '../../core/errors.js';
import type { CompressionOption } from '../compress.js';

/**
 * Default partition size in bytes (API.md: `blocksize`, 16 MiB).
 * @example resolveLineOptions({}).blocksize === DEFAULT_BLOCKSIZE // true
 */
export const DEFAULT_BLOCKSIZE = 16 * 1024 * 1024;
/**
 * Default longest accepted line in bytes (64 MiB): the most a partition reads past its range.
 * @example resolveLineOptions({}).maxLineBytes === DEFAULT_MAX_LINE_BYTES // true
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Spec options of a line-oriented source, as stored in `SourceSpec.options`.
 * @example const o: LineSourceOptions = { blocksize: 1 << 20, compression: 'infer' };
 */
export interface LineSourceOptions {
  /** bytes per partition */
  blocksize?: number;
  compression?: CompressionOption;
  /** longest line accepted, in bytes (without its line break) */
  maxLineBytes?: number;
}

/**
 * Resolved options.
 * @example const o: LineOptions = resolveLineOptions(spec.options);
 */
export interface LineOptions {
  blocksize: number;
  compression: CompressionOption;
  maxLineBytes: number;
}

const COMPRESSIONS: readonly string[] = ['infer', 'none', 'gzip', 'zstd'];

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
}

/**
 * Applies the defaults to the options of a text or JSON-lines spec.
 * @throws PlanError for an unknown compression name.
 * @example resolveLineOptions({ blocksize: 1024 }).maxLineBytes // 67108864
 */
export function resolveLineOptions(o: Record<string, unknown> = {}): LineOptions {
  const compression = (o.compression ?? 'infer') as CompressionOption;
  if (!COMPRESSIONS.includes(compression)) {
    throw new PlanError(`unknown compression ${JSON.stringify(o.compression)}; use one of ${COMPRESSIONS.map((c) => `'${c}'`).join(', ')}`);
  }
  return {
    blocksize: positive(o.blocksize, DEFAULT_BLOCKSIZE),
    compression,
    maxLineBytes: positive(o.maxLineBytes, DEFAULT_MAX_LINE_BYTES),
  };
}
