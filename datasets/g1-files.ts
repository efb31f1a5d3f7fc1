/**
 * Named, cached G1 files: the file name carries every generation parameter, so a file that
 * exists under that name is the right one and is never regenerated.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { G1_K, writeG1Csv, writeG1Parquet, type G1Options } from './g1.js';

/** Paths of one CSV + Parquet pair. */
export interface G1Files {
  csv: string;
  parquet: string;
}

/**
 * Compact count as in the h2o file names: 10_000_000 -> "1e7", 200_000 -> "2e5"; counts that
 * are not a single digit times a power of ten are written out ("12345").
 */
export function shortCount(n: number): string {
  for (let e = 1; e <= 15; e++) {
    const d = n / 10 ** e;
    if (d >= 1 && d <= 9 && Number.isInteger(d)) return `${d}e${e}`;
  }
  return String(n);
}

/** Base name in the h2o convention plus the seed, e.g. `G1_1e7_1e2_0_0_s1` (no NAs, unsorted). */
export function g1Stem(opts: G1Options): string {
  return `G1_${shortCount(opts.rows)}_${shortCount(G1_K)}_0_0_s${opts.seed}`;
}

/** Where {@link ensureG1} puts the files for `opts` under `dir`. */
export function g1Files(dir: string, opts: G1Options): G1Files {
  const stem = g1Stem(opts);
  return { csv: join(dir, `${stem}.csv`), parquet: join(dir, `${stem}.parquet`) };
}

/**
 * Makes sure the CSV for `opts` exists under `dir` (W6 reads only the CSV: its Parquet twin
 * would cost minutes and gigabytes for nothing).
 * @example const csv = await ensureG1Csv('.bench-data', { rows: 1e8, seed: 1 });
 */
export async function ensureG1Csv(dir: string, opts: G1Options, log: (msg: string) => void = () => undefined): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const { csv } = g1Files(dir, opts);
  if (existsSync(csv)) {
    log(`exists: ${csv}`);
  } else {
    const t0 = performance.now();
    await writeG1Csv(csv, opts);
    log(`wrote ${csv} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return csv;
}

/**
 * Makes sure the CSV and Parquet files for `opts` exist under `dir`, generating only what is
 * missing (the Parquet is converted from the CSV). `log` hears what was generated or reused.
 */
export async function ensureG1(dir: string, opts: G1Options, log: (msg: string) => void = () => undefined): Promise<G1Files> {
  const files = g1Files(dir, opts);
  await ensureG1Csv(dir, opts, log);
  if (existsSync(files.parquet)) {
    log(`exists: ${files.parquet}`);
  } else {
    const t0 = performance.now();
    await writeG1Parquet(files.parquet, { ...opts, csv: files.csv });
    log(`wrote ${files.parquet} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return files;
}
