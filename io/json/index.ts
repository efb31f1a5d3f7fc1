/**
 * The JSON-lines reader: one JSON object per line, partitioned like text (byte ranges of
 * whole lines; `.gz` / `.zst` files one partition each), parsed in workers.
 *
 * Semantics worth knowing: blank lines are skipped; the schema comes from the first
 * `sampleLines` (default 1000) lines of the first file, with nested objects flattened to
 * `a.b` columns (infer.ts has the type rules); keys that first appear after the sample and
 * are not named in `schema` are ignored; a key missing from a line is null; a line that is
 * not valid JSON, not an object, or holds a value that does not fit its column's type is a
 * ParseError naming the file and line.
 */
import type { FormatReader } from '../source.js';
import { describeJson } from './describe.js';
import { readJsonPartition } from './read.js';

/**
 * {@link FormatReader} for `format: 'json'`.
 * @example const info = await jsonReader.describe(spec); const b = await jsonReader.read(spec, info.partitions[0], ['id'], info.schema);
 */
export const jsonReader: FormatReader = {
  describe: describeJson,
  read: readJsonPartition,
};

export { describeJson, inferJsonSchema, DEFAULT_SAMPLE_LINES } from './describe.js';
export { readJsonPartition } from './read.js';
export { inferSchema } from './infer.js';
