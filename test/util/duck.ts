/** DuckDB as the test oracle. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let conn: Promise<DuckDBConnection> | undefined;

async function connection(): Promise<DuckDBConnection> {
  conn ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  return conn;
}

/** Runs SQL and returns rows as plain objects (BIGINT and DECIMAL as JS numbers). */
export async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const c = await connection();
  const r = await c.runAndReadAll(sql);
  const rows = r.getRowObjects();
  return rows.map((row) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) o[k] = normalize(v);
    return o;
  });
}

function normalize(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object' && 'toDouble' in v && typeof (v as { toDouble: unknown }).toDouble === 'function') return (v as { toDouble(): number }).toDouble();
  if (v && typeof v === 'object' && 'micros' in v) return Number((v as { micros: bigint }).micros);
  if (v && typeof v === 'object' && 'days' in v) return (v as { days: number }).days;
  return v;
}
