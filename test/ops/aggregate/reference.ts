/** A straightforward JS reference for hash aggregation: a Map over decoded row values. */
import type { AggSpec } from '../../../ops/kernels/aggregate/index.js';

export type Value = number | string | boolean | null;
export type Row = Record<string, Value>;

const enc = new TextEncoder();
const encoded = new Map<string, Uint8Array>();
const bytesOf = (s: string): Uint8Array => {
  let b = encoded.get(s);
  if (!b) { b = enc.encode(s); if (encoded.size < 100_000) encoded.set(s, b); }
  return b;
};

/** Total order used by min/max and sort: numbers with NaN last, strings by UTF-8 bytes, bools false < true. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(bytesOf(a), bytesOf(b));
  const x = Number(a), y = Number(b);
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  return x !== x ? (y !== y ? 0 : 1) : -1;
}

function keyOf(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : `n${v === 0 ? 0 : v}`;
  return `${typeof v}:${String(v)}`;
}

function aggregate(spec: AggSpec, rows: Row[]): Value {
  if (spec.fn === 'countAll') return rows.length;
  const vals = rows.map((r) => r[spec.input!]).filter((v) => v !== null) as Exclude<Value, null>[];
  const nums = vals.map(Number);
  switch (spec.fn) {
    case 'count': return vals.length;
    case 'sum': return vals.length ? nums.reduce((s, x) => s + x, 0) : null;
    case 'mean': return vals.length ? nums.reduce((s, x) => s + x, 0) / nums.length : null;
    case 'var': case 'std': {
      const ddof = spec.ddof ?? 1;
      if (nums.length <= ddof) return null;
      const m = nums.reduce((s, x) => s + x, 0) / nums.length;
      const v = nums.reduce((s, x) => s + (x - m) ** 2, 0) / (nums.length - ddof);
      return spec.fn === 'std' ? Math.sqrt(v) : v;
    }
    case 'min': return vals.length ? vals.reduce((a, b) => (compareValues(b, a) < 0 ? b : a)) : null;
    case 'max': return vals.length ? vals.reduce((a, b) => (compareValues(b, a) > 0 ? b : a)) : null;
    case 'first': return vals.length ? vals[0] : null;
    case 'last': return vals.length ? vals[vals.length - 1] : null;
    case 'nUnique': return new Set(vals.map(keyOf)).size;
  }
}

/** Groups rows by `keys` in first-appearance order (one group without keys) and applies `aggs`. */
export function referenceAggregate(rows: Row[], keys: string[], aggs: AggSpec[]): Row[] {
  const groups = new Map<string, Row[]>();
  if (keys.length === 0) groups.set('', []);
  for (const r of rows) {
    const k = keys.map((c) => keyOf(r[c])).join('|');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.values()].map((g) => {
    const out: Row = {};
    for (const k of keys) out[k] = g[0][k];
    for (const a of aggs) out[a.output] = aggregate(a, g);
    return out;
  });
}
