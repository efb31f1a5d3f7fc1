/**
 * Format name -> reader. Readers load on first use, so a worker thread that only reads
 * Parquet never pays for loading the Arrow IPC or CSV code (worker start-up is on the
 * critical path of the first query).
 */
import { NotImplementedError } from '../core/errors.js';
import type { FormatReader, SourceFormat } from './source.js';
import { memoryReader } from './memory.js';

const loaders: Partial<Record<SourceFormat, () => Promise<FormatReader>>> = {
  csv: async () => (await import('./csv/index.js')).csvReader,
  parquet: async () => (await import('./parquet/index.js')).parquetReader,
  arrow: async () => (await import('./arrow/index.js')).arrowReader,
  text: async () => (await import('./text/index.js')).textReader,
  json: async () => (await import('./json/index.js')).jsonReader,
  memory: async () => memoryReader,
};
const loaded = new Map<SourceFormat, Promise<FormatReader>>();

export function readerFor(format: SourceFormat): Promise<FormatReader> {
  const load = loaders[format];
  if (!load) throw new NotImplementedError(`no reader for format "${format}"`);
  let r = loaded.get(format);
  if (!r) { r = load(); loaded.set(format, r); }
  return r;
}
