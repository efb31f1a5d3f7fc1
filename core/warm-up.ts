/**
 * The engine's warm-up: when the worker pool starts (`ts.startWorkers`), a small report runs
 * over a generated sample file in each format asked for, on every thread, so that a process's
 * first real query runs code that is already compiled.
 *
 * Why: the first query of a fresh process is mostly spent warming the JIT, not reading data.
 * In a flights report (3M rows, 11 row groups) each thread's first two row groups took 2-4x
 * its later ones (interpreted JS around the kernels, optimizing compiles on the same two
 * cores, the first major garbage collections), and the coordinator's first merge of partials
 * took 7-20 ms against 0.3 ms later.
 *
 * The sample is synthetic and fixed (no user data): 65,536 rows of two string keys (64 and 48
 * values), an int32 column of 1000 values (both written as dictionaries) and a float64 column
 * with nulls; the report is the common shape of
 * a query (min/max/mean/count, group-bys on one and two string keys and on an integer key, a
 * top-k). Its events are muted, its files are removed, and a failure only skips it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Schema } from './types.js';
import type { SourceFormat } from '../io/source.js';
import { col, count } from './expr/expr.js';
import type { LazyFrame } from './lazyframe.js';
import { readCsv, readParquet } from './sources.js';
import { run } from './query.js';
import { openParquetSink } from '../io/sinks/parquet.js';
import { numericFromValues, utf8FromStrings } from '../ops/column/build.js';

const ROWS = 65_536;
/** rows per row group: 8 partitions, so every thread decodes several */
const GROUP_ROWS = 8_192;
/** CSV partition size: the 1.3 MB sample parses in ~7 partitions */
const CSV_BLOCK = 192 << 10;
/** formats that have a warm-up sample */
const WARMED: readonly SourceFormat[] = ['parquet', 'csv'];

/** `m` distinct three-letter codes (m <= 676), as in airport or ticker columns. */
function codes(m: number): string[] {
  const A = 65;
  return Array.from({ length: m }, (_, i) => String.fromCharCode(A + (i % 26), A + (Math.floor(i / 26) % 26), A + ((i * 7 + 3) % 26)));
}

/** The sample's columns (a fixed linear congruential sequence: the same every time). */
interface SampleRows { k1: string[]; k2: string[]; i: Int32Array; x: (number | null)[] }

function sampleRows(): SampleRows {
  let s = 12345;
  const next = (m: number): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return Math.floor((s / 2 ** 32) * m); };
  const c1 = codes(64), c2 = codes(48);
  const rows: SampleRows = { k1: [], k2: [], i: new Int32Array(ROWS), x: [] };
  for (let r = 0; r < ROWS; r++) {
    rows.k1.push(c1[next(64)]);
    rows.k2.push(c2[next(48)]);
    rows.i[r] = next(1000);
    rows.x.push(next(50) === 0 ? null : next(1_000_000) / 100);
  }
  return rows;
}

const SCHEMA: Schema = { k1: 'utf8', k2: 'utf8', i: 'int32', x: 'float64' };

/** The sample as a batch: 65,536 rows, 64 and 48 distinct keys, ~2% nulls in `x`. */
export function warmUpSample(rows = sampleRows()): { batch: Batch; schema: Schema } {
  const { k1, k2, i, x } = rows;
  const columns = { k1: utf8FromStrings(k1), k2: utf8FromStrings(k2), i: { type: 'int32' as const, length: ROWS, values: i, nullCount: 0 }, x: numericFromValues('float64', x) };
  return { batch: { length: ROWS, columns }, schema: SCHEMA };
}

async function writeSample(format: SourceFormat, path: string, rows: SampleRows): Promise<void> {
  if (format === 'parquet') {
    const { batch, schema } = warmUpSample(rows);
    const sink = await openParquetSink(path, schema, { rowGroupSize: GROUP_ROWS, compression: 'none' });
    await sink.write(batch);
    await sink.close();
    return;
  }
  const { k1, k2, i, x } = rows;
  const lines = ['k1,k2,i,x'];
  for (let r = 0; r < ROWS; r++) lines.push(`${k1[r]},${k2[r]},${i[r]},${x[r] ?? ''}`);
  await writeFile(path, lines.join('\n') + '\n');
}

/** The warm-up report over one source: the shapes most queries take. */
function report(src: LazyFrame): LazyFrame[] {
  const i = col('i'), x = col('x');
  return [
    src.select(i.min().alias('min'), i.max().alias('max'), x.mean().alias('mean'), x.count().alias('n')),
    src.groupBy('k1').agg({ n: count(), s: i.sum(), m: x.mean() }),
    src.groupBy('k1', 'k2').agg({ n: count() }).sort(['n', 'k1', 'k2'], { descending: [true, false, false] }).head(10),
    src.groupBy('i').agg({ s: x.sum() }),
  ];
}

/**
 * Runs the warm-up report for each of `formats` that has a sample, on `workers` threads.
 * Returns the formats it ran; never throws (a failed warm-up leaves the first query to pay).
 * @example await warmUp(['parquet', 'csv'], 2) // ['parquet', 'csv']
 */
export async function warmUp(formats: readonly SourceFormat[], workers: number): Promise<SourceFormat[]> {
  const wanted = WARMED.filter((f) => formats.includes(f));
  if (!wanted.length) return [];
  const done: SourceFormat[] = [];
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'tessera-warm-up-'));
    const rows = sampleRows();
    for (const f of wanted) {
      const path = join(dir, `sample.${f}`);
      await writeSample(f, path, rows);
      const src = f === 'parquet' ? readParquet(path) : readCsv(path, { blocksize: CSV_BLOCK });
      await run(report(src).map((q) => q.plan), { scheduler: 'threads', workers, progress: false }, 'warm-up', true);
      done.push(f);
    }
  } catch {
    // the warm-up only saves time; whatever failed here, the first query meets and reports
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return done;
}
