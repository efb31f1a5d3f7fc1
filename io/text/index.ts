/**
 * The text reader: one utf8 column `line`, one row per line of the input.
 *
 * Semantics worth knowing: lines end at `\n` and a `\r` before it is dropped; a last line
 * without `\n` is a line; an empty file has no rows; a UTF-8 byte order mark at the start of
 * a file is dropped; invalid UTF-8 becomes U+FFFD and is counted in the task metrics
 * (`invalidUtf8`); a line longer than `maxLineBytes` (default 64 MiB) is a ResourceError;
 * `.gz` / `.zst` files are one partition each, decompressed whole in memory.
 */
import { SchemaError } from '../../core/errors.js';
import type { Batch, Schema } from '../../core/types.js';
import type { FormatReader, Partition, ReadOptions, SourceSpec } from '../source.js';
import { loadTextBlock } from './block.js';
import { describeText } from './describe.js';
import { countLines, linesColumn } from './lines.js';
import { countInvalidUtf8, repairUtf8 } from './utf8.js';

/**
 * Reads the lines of one partition; `columns` may be `['line']` or `[]` (only the row count).
 * @throws SchemaError for any other column; IOError, ParseError (corrupt compressed data) or
 *   ResourceError (line over the limit) from the file.
 * @example const batch = await readTextPartition(spec, info.partitions[0], ['line'])
 */
export async function readTextPartition(spec: SourceSpec, part: Partition, columns: string[], _schema?: Schema, opts: ReadOptions = {}): Promise<Batch> {
  const unknown = columns.find((c) => c !== 'line');
  if (unknown !== undefined) throw new SchemaError(`unknown column "${unknown}"; a text source has one column: "line"`);
  const { bytes: raw } = await loadTextBlock(spec, part);
  if (columns.length === 0) {
    if (opts.stats) opts.stats.invalidUtf8 += countInvalidUtf8(raw);
    return { length: countLines(raw), columns: {} };
  }
  const { bytes, invalid } = repairUtf8(raw);
  if (opts.stats) opts.stats.invalidUtf8 += invalid;
  const line = linesColumn(bytes);
  return { length: line.length, columns: { line } };
}

/**
 * {@link FormatReader} for `format: 'text'`.
 * @example const info = await textReader.describe(spec); const b = await textReader.read(spec, info.partitions[0], ['line'], info.schema);
 */
export const textReader: FormatReader = {
  describe: describeText,
  read: readTextPartition,
};

export { describeText, linePartitions } from './describe.js';
export { readTextBlock, loadTextBlock, type TextBlock } from './block.js';
export { readTextLines, linesColumn, countLines, splitLines } from './lines.js';
export { repairUtf8, countInvalidUtf8 } from './utf8.js';
export { resolveLineOptions, DEFAULT_MAX_LINE_BYTES, type LineSourceOptions, type LineOptions } from './options.js';
