/**
 * The h2o db-benchmark "G1" group-by table (groupby-datagen.R with K = 100, no NAs, unsorted),
 * regenerated deterministically from a seed instead of R's RNG: the same seed and row count
 * always give byte-identical files, and the value distributions match the original:
 *
 * | column | values |
 * |---|---|
 * | id1, id2 | "id001" .. "id100" |
 * | id3 | "id0000000001" .. "id%010d" of N/K |
 * | id4, id5 | 1 .. K |
 * | id6 | 1 .. N/K |
 * | v1 | 1 .. 5 |
 * | v2 | 1 .. 15 |
 * | v3 | uniform(0, 100) rounded to 6 decimals, always printed with 6 decimals |
 */
import { open, rename, rm } from 'node:fs/promises';
import { Xoshiro128 } from './prng.js';
import { writeG1ParquetFromCsv } from './g1-parquet.js';

/** Parameters of one G1 table. */
export interface G1Options {
  /** Number of data rows (N). */
  rows: number;
  /** PRNG seed; the same seed and row count give the same file. */
  seed: number;
}

/** Number of distinct values of id1, id2, id4, id5 (the "1e2" in G1_1e7_1e2_0_0). */
export const G1_K = 100;

/** The CSV header line, without the newline. */
export const G1_HEADER = 'id1,id2,id3,id4,id5,id6,v1,v2,v3';

/** Number of distinct id3 / id6 values for `rows` rows (N/K, at least 1). */
export function g1Groups(rows: number): number {
  return Math.max(1, Math.round(rows / G1_K));
}

// Flush threshold: large writes amortise syscalls; the slack holds one whole row (< 64 bytes).
const CHUNK = 4 << 20;
const SLACK = 256;
const COMMA = 44;
const NL = 10;

/**
 * Writes a G1 table as CSV, streaming: rows are encoded straight into byte buffers (no JS
 * string per row or field) and two buffers alternate so encoding overlaps the disk write.
 * The file appears atomically (temp file + rename), so a crash never leaves a short file
 * under the final name.
 * @example await writeG1Csv('.bench-data/G1_1e7_1e2_0_0_s1.csv', { rows: 1e7, seed: 1 });
 */
export async function writeG1Csv(path: string, opts: G1Options): Promise<void> {
  const rows = checkRows(opts.rows);
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    const rng = new Xoshiro128(opts.seed);
    const groups = g1Groups(rows);
    const ids = smallIds(G1_K);
    const bufs = [Buffer.allocUnsafe(CHUNK + SLACK), Buffer.allocUnsafe(CHUNK + SLACK)];
    let pending: Promise<unknown> = Promise.resolve();
    let which = 0;
    let buf = bufs[0];
    let p = buf.write(G1_HEADER + '\n', 'latin1');
    for (let i = 0; i < rows; i++) {
      p = putBytes(buf, p, ids[rng.int1(G1_K)]);
      buf[p++] = COMMA;
      p = putBytes(buf, p, ids[rng.int1(G1_K)]);
      buf[p++] = COMMA;
      buf[p++] = 105; // 'i'
      buf[p++] = 100; // 'd'
      p = putPadded(buf, p, rng.int1(groups), 10);
      buf[p++] = COMMA;
      p = putUint(buf, p, rng.int1(G1_K));
      buf[p++] = COMMA;
      p = putUint(buf, p, rng.int1(G1_K));
      buf[p++] = COMMA;
      p = putUint(buf, p, rng.int1(groups));
      buf[p++] = COMMA;
      buf[p++] = 48 + rng.int1(5);
      buf[p++] = COMMA;
      p = putUint(buf, p, rng.int1(15));
      buf[p++] = COMMA;
      // v3 in millionths: 0 .. 100_000_000 inclusive, i.e. round(uniform(0, 100), 6).
      const micros = rng.below(100_000_001);
      p = putUint(buf, p, Math.floor(micros / 1_000_000));
      buf[p++] = 46; // '.'
      p = putPadded(buf, p, micros % 1_000_000, 6);
      buf[p++] = NL;
      if (p >= CHUNK) {
        await pending;
        pending = fh.write(buf, 0, p);
        which ^= 1;
        buf = bufs[which];
        p = 0;
      }
    }
    await pending;
    if (p > 0) await fh.write(buf, 0, p);
    await fh.close();
    await rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Options of {@link writeG1Parquet}. */
export interface G1ParquetOptions extends G1Options {
  /**
   * An existing CSV written by {@link writeG1Csv} with the same rows and seed; when given it is
   * converted instead of generating a temporary one.
   */
  csv?: string;
}

/**
 * Writes the same G1 rows as {@link writeG1Csv} as Parquet (converted by DuckDB, row groups of
 * 1M rows). Physical types: id1, id2, id3 BYTE_ARRAY (UTF8); id4, id5, id6, v1, v2 INT32;
 * v3 DOUBLE. INT32 because every integer column fits comfortably and it is what a careful
 * writer would choose; readers that widen to int64 still see the same values.
 * @example await writeG1Parquet('.bench-data/G1_1e7_1e2_0_0_s1.parquet', { rows: 1e7, seed: 1 });
 */
export async function writeG1Parquet(path: string, opts: G1ParquetOptions): Promise<void> {
  if (opts.csv) return writeG1ParquetFromCsv(opts.csv, path);
  const csv = `${path}.src-${process.pid}.csv`;
  try {
    await writeG1Csv(csv, opts);
    await writeG1ParquetFromCsv(csv, path);
  } finally {
    await rm(csv, { force: true });
  }
}

function checkRows(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`G1 rows must be a non-negative integer, got ${rows}`);
  return rows;
}

/** "id%03d" for 1..k as bytes, indexed by value. */
function smallIds(k: number): Buffer[] {
  const out: Buffer[] = [Buffer.alloc(0)];
  for (let v = 1; v <= k; v++) out.push(Buffer.from('id' + String(v).padStart(3, '0'), 'latin1'));
  return out;
}

function putBytes(buf: Buffer, p: number, src: Buffer): number {
  for (let i = 0; i < src.length; i++) buf[p + i] = src[i];
  return p + src.length;
}

function putUint(buf: Buffer, p: number, v: number): number {
  const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : v < 1_000_000 ? 6 : String(v).length;
  return putPadded(buf, p, v, n);
}

/** Writes `v` as exactly `width` digits, zero-padded on the left. */
function putPadded(buf: Buffer, p: number, v: number, width: number): number {
  let q = p + width;
  for (let i = 0; i < width; i++) {
    const d = v % 10;
    buf[--q] = 48 + d;
    v = (v - d) / 10;
  }
  return p + width;
}
