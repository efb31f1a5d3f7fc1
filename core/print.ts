/** Plain-text rendering of a result table for terminals and logs. */
import * as arrow from 'apache-arrow';
import { toRows } from './rows.js';

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('.000Z', '');
  return String(v);
};

/**
 * Formats a table as aligned text (numbers right-aligned), at most `maxRows` rows.
 * @example console.log(ts.formatTable(await df.head(10).collect()))
 */
export function formatTable(t: arrow.Table, opts: { maxRows?: number; title?: string } = {}): string {
  const max = opts.maxRows ?? 20;
  const names = t.schema.fields.map((f) => f.name);
  const temporal = t.schema.fields.map((f) => (arrow.DataType.isTimestamp(f.type) ? 'ts' : arrow.DataType.isDate(f.type) ? 'date' : ''));
  const rows = toRows(t.numRows > max ? t.slice(0, max) : t).map((r) => names.map((n, j) => {
    const v = r[n];
    if (v === null || v === undefined || !temporal[j]) return v;
    const iso = new Date(Number(v)).toISOString();
    return temporal[j] === 'date' ? iso.slice(0, 10) : iso.replace('T', ' ').replace('.000Z', '').replace('Z', '');
  }));
  const text = rows.map((r) => r.map(cell));
  const width = names.map((n, j) => Math.max(n.length, ...text.map((r) => r[j].length)));
  const numeric = names.map((_, j) => rows.every((r) => typeof r[j] === 'number' || r[j] === null || typeof r[j] === 'bigint'));
  const fmt = (vals: string[]) => vals.map((v, j) => (numeric[j] ? v.padStart(width[j]) : v.padEnd(width[j]))).join('  ');
  const lines = [fmt(names), width.map((w) => '-'.repeat(w)).join('  '), ...text.map(fmt)];
  if (t.numRows > max) lines.push(`... ${t.numRows - max} more rows`);
  if (opts.title) lines.unshift(opts.title);
  return lines.join('\n');
}
