/**
 * The W3 input: `rows` float64 values uniform in [0, 1) in one column `x`, deterministic for a
 * seed, written as an Arrow IPC file and as Parquet by Tessera's own streaming sinks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from '../core/types.js';
import { openArrowSink } from '../io/sinks/arrow.js';
import { openParquetSink } from '../io/sinks/parquet.js';
import type { Sink } from '../io/sinks/sink.js';
import { Xoshiro128 } from './prng.js';
import { shortCount } from './g1-files.js';

const BATCH = 1 << 20;

/** Writes the column to `sink` batch by batch (never the whole column at once). */
async function fill(sink: Sink, rows: number, seed: number): Promise<void> {
  const rng = new Xoshiro128(seed);
  try {
    for (let done = 0; done < rows; done += BATCH) {
      const n = Math.min(BATCH, rows - done);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = (rng.nextU32() * 0x20_0000 + (rng.nextU32() >>> 11)) / 0x20_0000_0000_0000;
      const b: Batch = { length: n, columns: { x: { type: 'float64', length: n, values: x, nullCount: 0 } } };
      await sink.write(b);
    }
    await sink.close();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/** Paths of the W3 files for `rows` and `seed` under `dir`, writing those that are missing. */
export async function ensureUniform(dir: string, opts: { rows: number; seed: number }, log: (m: string) => void = () => undefined): Promise<{ arrow: string; parquet: string }> {
  const stem = join(dir, `uniform_${shortCount(opts.rows)}_s${opts.seed}`);
  const arrow = `${stem}.arrow`, parquet = `${stem}.parquet`;
  if (!existsSync(arrow)) { log(`writing ${arrow}`); await fill(await openArrowSink(arrow, { x: 'float64' }), opts.rows, opts.seed); }
  if (!existsSync(parquet)) { log(`writing ${parquet}`); await fill(await openParquetSink(parquet, { x: 'float64' }), opts.rows, opts.seed); }
  return { arrow, parquet };
}
