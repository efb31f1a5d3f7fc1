/**
 * CSV -> Parquet conversion of a G1 table through DuckDB (a devDependency: loaded lazily so
 * that importing the CSV generator never requires it).
 */
import { rename, rm } from 'node:fs/promises';

/** Column types of the G1 Parquet file, as DuckDB SQL types (INTEGER is Parquet INT32). */
export const G1_PARQUET_TYPES: Readonly<Record<string, string>> = {
  id1: 'VARCHAR', id2: 'VARCHAR', id3: 'VARCHAR',
  id4: 'INTEGER', id5: 'INTEGER', id6: 'INTEGER', v1: 'INTEGER', v2: 'INTEGER',
  v3: 'DOUBLE',
};

/** Quotes a string as a SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * Converts a G1 CSV to Parquet with explicit column types and 1M-row row groups. The output
 * appears atomically (temp file + rename).
 */
export async function writeG1ParquetFromCsv(csv: string, path: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const tmp = `${path}.tmp-${process.pid}`;
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const cols = Object.entries(G1_PARQUET_TYPES).map(([k, t]) => `${sqlString(k)}: ${sqlString(t)}`).join(', ');
    await conn.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, columns = {${cols}})) ` +
      `TO ${sqlString(tmp)} (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
    );
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
