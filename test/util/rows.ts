/** Helpers to compare tables as sorted, rounded row lists. */
import type * as arrow from 'apache-arrow';
import { toRows } from '../../core/rows.js';

export function rowsOf(t: arrow.Table): Record<string, unknown>[] {
  return toRows(t).map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) o[k] = typeof v === 'bigint' ? Number(v) : v;
    return o;
  });
}

export function sortRows(rows: Record<string, unknown>[], keys?: string[]): Record<string, unknown>[] {
  const ks = keys ?? (rows.length ? Object.keys(rows[0]) : []);
  return [...rows].sort((a, b) => {
    for (const k of ks) {
      const x = a[k], y = b[k];
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x as number) < (y as number) ? -1 : 1;
    }
    return 0;
  });
}

/** Asserts two row lists are equal, floats within `rel` relative difference (different summation orders). */
export function expectRowsClose(got: Record<string, unknown>[], want: Record<string, unknown>[], rel = 1e-9): void {
  if (got.length !== want.length) throw new Error(`row count ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    const gk = Object.keys(g), wk = Object.keys(w);
    if (JSON.stringify(gk) !== JSON.stringify(wk)) throw new Error(`row ${i}: columns ${gk}, expected ${wk}`);
    for (const k of wk) {
      const a = g[k], b = w[k];
      if (typeof a === 'number' && typeof b === 'number') {
        if (a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b))) continue;
      } else if (a === b || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime())) continue;
      throw new Error(`row ${i} column ${k}: got ${String(a)}, expected ${String(b)}\n got row: ${JSON.stringify(g)}\nwant row: ${JSON.stringify(w)}`);
    }
  }
}
