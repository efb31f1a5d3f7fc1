/**
 * The CSV reader: nominal byte-range partitions that each reader turns into whole rows
 * (io/csv/nominal.ts), parsed from bytes in workers, decoding only the requested columns.
 *
 * Semantics worth knowing: the first ~1 MiB / 10k rows decide the inferred types (bool,
 * int64, float64, date, timestamp, else utf8; override with `schema`); an empty unquoted
 * field is null while `""` is an empty string; quotes must open a field or be doubled inside
 * one (pass `quote: ''` for data with bare quote characters); blank lines are skipped except
 * in one-column files; `.gz` / `.zst` files are one partition each.
 */
import type { FormatReader } from '../source.js';
import { describeCsv } from './describe.js';
import { readCsvPartition } from './read.js';

/**
 * {@link FormatReader} for `format: 'csv'`.
 * @example const info = await csvReader.describe(spec); const b = await csvReader.read(spec, info.partitions[0], ['a'], info.schema);
 */
export const csvReader: FormatReader = {
  describe: describeCsv,
  read: (spec, part, columns, schema, opts) => readCsvPartition(spec, part, columns, schema, opts?.stats, opts?.scratch),
};

export { describeCsv } from './describe.js';
export { readCsvPartition } from './read.js';
export { resolveDialect, type Dialect } from './dialect.js';
