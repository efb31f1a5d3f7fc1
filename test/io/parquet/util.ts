/** Helpers shared by the Parquet and Arrow IO tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Schema } from '../../../core/types.js';
import { valueAt } from '../../../ops/column/build.js';
import type { FormatReader, SourceSpec } from '../../../io/source.js';

/** A fresh empty directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tessera-${prefix}-`));
}

/** Rows of a batch as plain objects (numbers, strings, booleans, null). */
export function batchRows(b: Batch, names = Object.keys(b.columns)): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < b.length; i++) {
    const r: Record<string, unknown> = {};
    for (const n of names) r[n] = valueAt(b.columns[n], i);
    out.push(r);
  }
  return out;
}

/** Reads every partition of a source (all columns unless given) and returns all rows in order. */
export async function readAll(reader: FormatReader, spec: SourceSpec, columns?: string[]): Promise<{ schema: Schema; rows: Record<string, unknown>[]; batches: Batch[] }> {
  const info = await reader.describe(spec);
  const cols = columns ?? Object.keys(info.schema);
  const batches: Batch[] = [];
  for (const p of info.partitions) batches.push(await reader.read(spec, p, cols, info.schema));
  return { schema: info.schema, rows: batches.flatMap((b) => batchRows(b, cols)), batches };
}

/** A path as a SQL string literal. */
export function sqlString(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}
