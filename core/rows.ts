/** Plain JS rows from an Arrow table, applying the int64 rule. */
import type * as arrow from 'apache-arrow';

/**
 * Converts a table to plain objects. int64/uint64 values become JS numbers when they fit in
 * ±2^53 (Number.MAX_SAFE_INTEGER) and stay bigint otherwise; timestamps become Date.
 * @example ts.toRows(await df.head(5).collect())
 */
export function toRows(t: arrow.Table): Record<string, unknown>[] {
  const names = t.schema.fields.map((f) => f.name);
  const cols = names.map((n) => t.getChild(n)!);
  const out: Record<string, unknown>[] = new Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) {
      const v = cols[j].get(i);
      row[names[j]] = typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
    }
    out[i] = row;
  }
  return out;
}
