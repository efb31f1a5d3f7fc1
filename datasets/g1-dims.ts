/**
 * The W6 join's dimension table: one row per id3 value of a G1 table of `rows` rows
 * (N/K rows: 1M for 1e8), with a small group number `grp` (id3 number mod 100) and a weight
 * `w` (id3 number / 1000), written as Parquet by Tessera's own sink.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch } from '../core/types.js';
import { openParquetSink } from '../io/sinks/parquet.js';
import { utf8FromStrings } from '../ops/column/build.js';
import { g1Groups } from './g1.js';
import { shortCount } from './g1-files.js';

const BATCH = 1 << 17;

/**
 * Path of the dimension table for a G1 table of `rows` rows under `dir`, written when missing.
 * @example const dims = await ensureG1Dims('.bench-data', { rows: 1e8 }); // 1M rows
 */
export async function ensureG1Dims(dir: string, opts: { rows: number }, log: (m: string) => void = () => undefined): Promise<string> {
  const n = g1Groups(opts.rows);
  const path = join(dir, `G1_dims_${shortCount(opts.rows)}.parquet`);
  if (existsSync(path)) return path;
  log(`writing ${path}`);
  const sink = await openParquetSink(path, { id3: 'utf8', grp: 'int32', w: 'float64' });
  try {
    for (let start = 1; start <= n; start += BATCH) {
      const m = Math.min(BATCH, n - start + 1);
      const ids: string[] = new Array(m);
      const grp = new Int32Array(m), w = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const k = start + i;
        ids[i] = `id${String(k).padStart(10, '0')}`;
        grp[i] = k % 100;
        w[i] = k / 1000;
      }
      const b: Batch = {
        length: m,
        columns: {
          id3: utf8FromStrings(ids),
          grp: { type: 'int32', length: m, values: grp, nullCount: 0 },
          w: { type: 'float64', length: m, values: w, nullCount: 0 },
        },
      };
      await sink.write(b);
    }
    await sink.close();
  } catch (e) {
    await sink.abort();
    throw e;
  }
  return path;
}
