/** The benchmark cases: workload x input format, and what each one asks. */

/** Workload ids from BENCHMARKS.md. */
export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5';

/** Input file format of a case. */
export type Format = 'csv' | 'parquet' | 'arrow' | 'text';

/** One runnable case: a workload over one input format. */
export interface BenchCase {
  /** Stable id used on the command line and by child processes, e.g. `W4-csv`. */
  id: string;
  workload: WorkloadId;
  format: Format;
  /** Label in the report table. */
  label: string;
}

/** What a peer is given to run one case. */
export interface Job {
  workload: WorkloadId;
  format: Format;
  path: string;
}

/** Every case, in report order. W1 is defined on the shipped flights Parquet file only. */
export const CASES: readonly BenchCase[] = [
  { id: 'W1-parquet', workload: 'W1', format: 'parquet', label: 'W1 report (flights-3m.parquet)' },
  { id: 'W2-text', workload: 'W2', format: 'text', label: 'W2 word count, top 10 + totals, Brown corpus text' },
  { id: 'W3-arrow', workload: 'W3', format: 'arrow', label: 'W3 cumsum of x: last value and sum, Arrow IPC' },
  { id: 'W3-parquet', workload: 'W3', format: 'parquet', label: 'W3 cumsum of x: last value and sum, Parquet' },
  { id: 'W4-csv', workload: 'W4', format: 'csv', label: 'W4 q1 sum(v1) by id1, CSV' },
  { id: 'W4-parquet', workload: 'W4', format: 'parquet', label: 'W4 q1 sum(v1) by id1, Parquet' },
  { id: 'W5-csv', workload: 'W5', format: 'csv', label: 'W5 q3 sum(v1), mean(v3) by id3, CSV' },
  { id: 'W5-parquet', workload: 'W5', format: 'parquet', label: 'W5 q3 sum(v1), mean(v3) by id3, Parquet' },
];

/** Looks a case up by id. */
export function caseById(id: string): BenchCase {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown case ${id}; known: ${CASES.map((x) => x.id).join(', ')}`);
  return c;
}

/**
 * Cases selected by `--only`: each token is a workload (`W4`) or a case id (`W4-csv`),
 * case-insensitive; no tokens selects everything.
 */
export function selectCases(only: string[]): BenchCase[] {
  if (!only.length) return [...CASES];
  const want = only.map((s) => s.toLowerCase());
  const picked = CASES.filter((c) => want.includes(c.workload.toLowerCase()) || want.includes(c.id.toLowerCase()));
  if (!picked.length) throw new Error(`--only ${only.join(',')} selects no case; known: ${CASES.map((c) => c.id).join(', ')}`);
  return picked;
}

/** Number of top words W2 reports. */
export const TOP_WORDS = 10;

/** Number of top routes W1 reports. */
export const TOP_ROUTES = 10;

/** Key of a ranked route row: rank first so the order is part of the answer. */
export function routeKey(rank: number, origin: string, destination: string): string {
  return `${String(rank).padStart(2, '0')}|${origin}|${destination}`;
}
