/** Shared helpers of the CSV reader tests: temp files and reading a whole source into rows. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvReader } from '../../../io/csv/index.js';
import type { CsvOptions, SourceInfo, SourceSpec } from '../../../io/source.js';
import { valueAt } from '../../../ops/column/build.js';
import type { Batch } from '../../../core/types.js';

/** A fresh temp directory; `cleanup()` removes it. */
export function tempDir(prefix = 'tessera-csv-'): { dir: string; file: (name: string, content?: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      if (content !== undefined) writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Row = Record<string, unknown>;

export function batchRows(b: Batch): Row[] {
  const out: Row[] = [];
  const entries = Object.entries(b.columns);
  for (let r = 0; r < b.length; r++) {
    const row: Row = {};
    for (const [k, c] of entries) row[k] = valueAt(c, r);
    out.push(row);
  }
  return out;
}

export function spec(paths: string | string[], options: CsvOptions = {}): SourceSpec {
  return { format: 'csv', paths: Array.isArray(paths) ? paths : [paths], options: { ...options } };
}

/**
 * Describes a source and reads every partition (optionally only `columns`), in order. Read
 * in order, each nominal partition is given the quote parity before it (from the quote counts
 * its predecessors report), as the stage ends up doing.
 */
export async function readAll(paths: string | string[], options: CsvOptions = {}, columns?: string[]): Promise<{ info: SourceInfo; rows: Row[] }> {
  const s = spec(paths, options);
  const info = await csvReader.describe(s);
  const rows: Row[] = [];
  let parity = 0;
  for (const p of info.partitions) {
    if (p.firstInFile || !p.nominal) parity = 0;
    const stats = { invalidUtf8: 0, quotes: 0 };
    const b = await csvReader.read(s, { ...p, startParity: parity }, columns ?? Object.keys(info.schema), info.schema, { stats });
    parity = (parity + stats.quotes) % 2;
    for (const r of batchRows(b)) rows.push(r);
  }
  return { info, rows };
}

/** Runs `p` and returns what it threw (fails the test when it does not throw). */
export async function thrown(p: Promise<unknown>): Promise<Error & { code?: string; file?: string; line?: number; offset?: number; column?: string; path?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}
