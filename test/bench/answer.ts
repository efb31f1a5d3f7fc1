/**
 * What a peer answers, and the compact checksum that crosses the process boundary so answers
 * of different engines can be compared without shipping 100k groups around.
 */

/** One result table: rows of (key, values). Composite keys are joined with '|'; ordered results put the rank in the key. */
export type AnswerTable = [key: string, values: number[]][];

/** A workload's answer: its result tables by name. */
export type Answer = Record<string, AnswerTable>;

/** Checksum of one result table. */
export interface TableSummary {
  rows: number;
  /** Per value column: sum over rows. */
  sums: number[];
  /** Per value column: sum of value * weight(key), which changes when values move between keys. */
  weighted: number[];
  /** First and last rows in key order, for a readable diff. */
  samples: [string, number[]][];
}

/** Checksums of every table of an answer. */
export type AnswerSummary = Record<string, TableSummary>;

/** Summarizes an answer (keys sorted, so engines may return groups in any order). */
export function summarize(answer: Answer): AnswerSummary {
  const out: AnswerSummary = {};
  for (const [name, rows] of Object.entries(answer)) {
    const sorted = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const width = sorted.length ? sorted[0][1].length : 0;
    const sums = new Array<number>(width).fill(0);
    const weighted = new Array<number>(width).fill(0);
    for (const [key, values] of sorted) {
      const w = keyWeight(key);
      for (let j = 0; j < width; j++) {
        sums[j] += values[j];
        weighted[j] += values[j] * w;
      }
    }
    const samples = sorted.length <= 5 ? sorted : [...sorted.slice(0, 3), ...sorted.slice(-2)];
    out[name] = { rows: sorted.length, sums, weighted, samples };
  }
  return out;
}

/** A weight in 1..1009 derived from the key text (FNV-1a), stable across engines. */
function keyWeight(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 1009) + 1;
}

/** Relative tolerance: engines sum floats in different orders. */
const REL = 1e-9;

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= REL * Math.max(1, Math.abs(a), Math.abs(b));
}

function closeAll(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => close(x, b[i]));
}

/** Differences between two summaries, as human-readable lines (empty when they agree). */
export function diffSummaries(ref: AnswerSummary, got: AnswerSummary): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(ref), ...Object.keys(got)])) {
    const r = ref[name];
    const g = got[name];
    if (!r || !g) {
      out.push(`${name}: table ${r ? 'missing' : 'unexpected'}`);
      continue;
    }
    if (r.rows !== g.rows) out.push(`${name}: ${g.rows} rows, expected ${r.rows}`);
    if (!closeAll(r.sums, g.sums)) out.push(`${name}: sums ${fmt(g.sums)}, expected ${fmt(r.sums)}`);
    if (!closeAll(r.weighted, g.weighted)) out.push(`${name}: key-weighted sums ${fmt(g.weighted)}, expected ${fmt(r.weighted)}`);
    r.samples.forEach(([key, values], i) => {
      const s = g.samples[i];
      if (!s || s[0] !== key || !closeAll(s[1], values)) out.push(`${name}: sample ${i} ${s ? `${s[0]}=${fmt(s[1])}` : 'missing'}, expected ${key}=${fmt(values)}`);
    });
  }
  return out;
}

function fmt(v: number[]): string {
  return `[${v.map((x) => (Number.isInteger(x) ? String(x) : x.toPrecision(12))).join(', ')}]`;
}
