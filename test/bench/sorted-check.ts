/**
 * W6 sort answer: a checksum of a sorted G1 Parquet file, read back by DuckDB after the timed
 * query (the same reader for every engine's output). Exact integers modulo a prime, so one
 * row out of place or one value changed shows:
 * - `rows`: the row count;
 * - `rowsum`: sum of a hash of each whole row (which rows, in any order);
 * - `keyseq`: sum of hash(sort keys) x row position (the key sequence; rows with equal keys
 *   may come in any order, as the sort is only defined up to ties).
 * Column types are normalized first (an engine may write int32 or int64).
 */
import { rm } from 'node:fs/promises';
import type { Answer } from './answer.js';

const P = 1000000007;

/** The sort keys of W6 (ascending, descending). */
export const W6_SORT = { keys: ['id3', 'v3'], descending: [false, true] } as const;

/**
 * Checksums `path` (a G1 table sorted by {@link W6_SORT}), then removes the file.
 * @example const answer = await sortedFileAnswer('.bench-data/w6-sort-tessera.parquet');
 */
export async function sortedFileAnswer(path: string): Promise<Answer> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const src = `read_parquet('${path.replaceAll("'", "''")}', file_row_number = true)`;
    const row = 'id1::VARCHAR, id2::VARCHAR, id3::VARCHAR, id4::BIGINT, id5::BIGINT, id6::BIGINT, v1::BIGINT, v2::BIGINT, v3::DOUBLE';
    const r = (await conn.runAndReadAll(
      `SELECT count(*), sum(hash(${row}) % ${P}) % ${P}, sum((hash(id3::VARCHAR, v3::DOUBLE) % ${P}) * ((file_row_number + 1) % ${P})) % ${P} FROM ${src}`,
    )).getRows()[0];
    return { sorted: [['', r.map(Number)]] };
  } finally {
    conn.closeSync();
    db.closeSync();
    await rm(path, { force: true });
  }
}
