/**
 * `describe` for CSV: files, schema (inferred from the first file, with the user's partial
 * overrides) and partitions (byte ranges of whole rows; one per compressed file).
 */
import { SchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/types.js';
import { detectCompression } from '../compress.js';
import { fileSize, resolvePaths } from '../files.js';
import type { Partition, SourceInfo, SourceSpec } from '../source.js';
import { resolveDialect } from './dialect.js';
import { nominalRanges } from './nominal.js';
import { readHead } from './sample.js';

const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');

/**
 * Resolves the paths of a CSV source, infers its schema and cuts it into partitions.
 * @throws IOError for missing files, ParseError for empty or malformed files, SchemaError
 *   for an override naming an unknown column or files whose headers differ.
 * @example const info = await describeCsv({ format: 'csv', paths: ['data/*.csv'], options: { blocksize: 1 << 20 } })
 */
export async function describeCsv(spec: SourceSpec): Promise<SourceInfo> {
  const d = resolveDialect(spec.options);
  const files = await resolvePaths(spec.paths);
  const first = files[0];
  const head = await readHead(first, detectCompression(first, d.compression), d, true);
  let types = head.types!;
  // a first file without data rows says nothing about types: sample the next few instead
  for (let i = 1; head.sampled === 0 && i < Math.min(files.length, 8); i++) {
    const h = await readHead(files[i], detectCompression(files[i], d.compression), d, true);
    if (h.sampled && h.names.length === head.names.length) { types = h.types!; break; }
  }
  const schema: Schema = {};
  head.names.forEach((n, i) => { schema[n] = types[i]; });
  const overrides = spec.options.schema ?? {};
  const unknown = Object.keys(overrides).filter((k) => !(k in schema));
  if (unknown.length) {
    throw new SchemaError(`readCsv: schema names unknown column${unknown.length > 1 ? 's' : ''} ${list(unknown)} in ${first}; valid columns: ${list(head.names)}`);
  }
  Object.assign(schema, overrides);

  const partitions: Partition[] = [];
  for (const path of files) {
    const compression = detectCompression(path, d.compression);
    const h = path === first ? head : await readHead(path, compression, d, false);
    if (d.header && (h.names.length !== head.names.length || h.names.some((n, i) => n !== head.names[i]))) {
      throw new SchemaError(`readCsv: ${path} has columns ${list(h.names)} but ${first} has ${list(head.names)}; files of one source need the same header`);
    }
    const size = await fileSize(path);
    if (compression !== 'none') {
      partitions.push({ seq: partitions.length, path, start: 0, end: size, bytes: size, firstLine: 1 });
      continue;
    }
    // nominal ranges: readers find the row boundaries themselves, so describe reads no more of the file
    const ranges = nominalRanges(h.dataStart, size, d.blocksize);
    ranges.forEach(([start, end], i) => {
      const p: Partition = { seq: partitions.length, path, start, end, bytes: end - start, nominal: true };
      if (i === 0) { p.firstLine = h.firstLine; p.firstInFile = true; }
      partitions.push(p);
    });
  }
  return { files, schema, partitions };
}
