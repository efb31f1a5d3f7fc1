/**
 * `describe` for JSON lines: files, partitions (as for text: nominal byte ranges, one per
 * compressed file) and the schema inferred from a sample of the first file's lines with
 * the user's overrides applied.
 */
import { ParseError, SchemaError } from '../../core/errors.js';
import { DTYPES, type DType, type Schema } from '../../core/types.js';
import { detectCompression } from '../compress.js';
import { resolvePaths } from '../files.js';
import type { SourceInfo, SourceSpec } from '../source.js';
import { linePartitions } from '../text/describe.js';
import { resolveLineOptions } from '../text/options.js';
import { inferSchema } from './infer.js';
import { JsonIssue, notObject, snippet } from './issue.js';
import { addKinds, type KindNode } from './kinds.js';
import { sampleLines, type SampleLine } from './sample.js';

/**
 * Default number of lines the schema is inferred from.
 * @example ts.readJson(path, { sampleLines: DEFAULT_SAMPLE_LINES * 10 })
 */
export const DEFAULT_SAMPLE_LINES = 1000;
/** Files tried in turn when the first ones have no lines at all. */
const MAX_SAMPLED_FILES = 8;

function sampleSize(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_SAMPLE_LINES;
}

function parseSampled(file: string, l: SampleLine, compressed: boolean): unknown {
  const where = `line ${l.index + 1} of ${file} (${compressed ? 'decompressed ' : ''}byte offset ${l.offset})`;
  let v: unknown;
  try {
    v = JSON.parse(l.text);
  } catch (e) {
    throw new ParseError(`malformed JSON at ${where}: ${(e as Error).message}: ${snippet(l.text)}`, { file, line: l.index + 1, offset: l.offset }, { cause: e });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    const issue: JsonIssue = notObject(l.index, l.text, v);
    throw new ParseError(`${where} ${issue.detail}: ${snippet(l.text)}`, { file, line: l.index + 1, offset: l.offset });
  }
  return v;
}

/**
 * The schema of a JSON-lines source: inferred from the first `sampleLines` lines of the
 * first file (or of the next files while they are empty), then `overrides` applied: a
 * named column takes the given type, a name not in the sample adds a column.
 * @example await inferJsonSchema(['a.jsonl'], 'infer', 1000, 64 << 20, { id: 'utf8' })
 */
export async function inferJsonSchema(files: string[], compression: SourceSpec['options']['compression'], maxLines: number, maxLineBytes: number, overrides: Record<string, DType> = {}): Promise<Schema> {
  const root = new Map<string, KindNode>();
  for (let i = 0; i < Math.min(files.length, MAX_SAMPLED_FILES); i++) {
    const c = detectCompression(files[i], compression);
    const lines = await sampleLines(files[i], c, maxLines, maxLineBytes);
    for (const l of lines) {
      parseSampled(files[i], l, c !== 'none');
      addKinds(l.text, root);
    }
    if (lines.length) break;
  }
  const schema = inferSchema(root);
  for (const [name, t] of Object.entries(overrides)) {
    if (!DTYPES.includes(t)) throw new SchemaError(`readJson: column "${name}" has unknown type ${JSON.stringify(t)}; types are ${DTYPES.join(', ')}`);
    schema[name] = t;
  }
  return schema;
}

/**
 * Resolves the paths of a JSON-lines source, infers its schema and cuts it into partitions.
 * @throws IOError for missing files; ParseError for a malformed sampled line; SchemaError
 *   for an override with an unknown type.
 * @example const info = await describeJson({ format: 'json', paths: ['events/*.jsonl'], options: { sampleLines: 500 } })
 */
export async function describeJson(spec: SourceSpec): Promise<SourceInfo> {
  const o = resolveLineOptions(spec.options);
  const files = await resolvePaths(spec.paths);
  const schema = await inferJsonSchema(files, o.compression, sampleSize(spec.options.sampleLines), o.maxLineBytes, spec.options.schema);
  return { files, schema, partitions: await linePartitions(files, o) };
}
