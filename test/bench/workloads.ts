/** The benchmark cases: workload x input format, and what each one asks. */

/** Workload ids from BENCHMARKS.md. */
export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W7';

/** The four W6 queries (out-of-core, under a memory limit). */
export type W6Query = 'q1' | 'q3' | 'sort' | 'join';

/** Input file format of a case; `generated` cases (W7) read no file. */
export type Format = 'csv' | 'parquet' | 'arrow' | 'text' | 'generated';

/** One runnable case: a workload over one input format. */
export interface BenchCase {
  /** Stable id used on the command line and by child processes, e.g. `W4-csv`. */
  id: string;
  workload: WorkloadId;
  format: Format;
  /** Label in the report table. */
  label: string;
  /** Which W6 query (W6 only). */
  query?: W6Query;
}

/** What a peer is given to run one case. */
export interface Job {
  workload: WorkloadId;
  format: Format;
  /** The input file; several inputs (the W6 join) come as a JSON array, see {@link inputPaths}. */
  path: string;
  query?: W6Query;
}

/**
 * The input files of a job: `path` itself, or the files of a JSON array of paths.
 * @example inputPaths('["a.csv","dims.parquet"]') // ['a.csv', 'dims.parquet']
 */
export const inputPaths = (path: string): string[] => (path.startsWith('[') ? (JSON.parse(path) as string[]) : [path]);

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
  { id: 'W6-q1', workload: 'W6', format: 'csv', query: 'q1', label: 'W6 q1 sum(v1) by id1, CSV, memoryLimit' },
  { id: 'W6-q3', workload: 'W6', format: 'csv', query: 'q3', label: 'W6 q3 sum(v1), mean(v3) by id3, CSV, memoryLimit' },
  { id: 'W6-sort', workload: 'W6', format: 'csv', query: 'sort', label: 'W6 sort by id3, v3 desc -> Parquet, memoryLimit' },
  { id: 'W6-join', workload: 'W6', format: 'csv', query: 'join', label: 'W6 join dims on id3, sum by grp, memoryLimit' },
  { id: 'W7-generated', workload: 'W7', format: 'generated', label: 'W7 arrays: uniform N x N, exp(x) + 3 sin(x), mean(axis 0) + cumsum(axis 1)' },
];

/**
 * W7 settings: the array is N x N in chunks of C x C, uniform [0, 1) values from `seed`.
 * @example const { n, chunk } = parseW7(job.path);
 */
export interface W7Spec { n: number; chunk: number; seed: number }

/**
 * W7 reads no file: its settings travel in the job's path as `w7:n=20000,chunk=2000,seed=1`.
 * @example w7Path({ n: 8000, chunk: 2000, seed: 1 }) // 'w7:n=8000,chunk=2000,seed=1'
 */
export const w7Path = (w: W7Spec): string => `w7:n=${w.n},chunk=${w.chunk},seed=${w.seed}`;

/**
 * Reads the settings back from a W7 job path.
 * @example parseW7('w7:n=8000,chunk=2000,seed=1') // { n: 8000, chunk: 2000, seed: 1 }
 */
export function parseW7(path: string): W7Spec {
  const m = /^w7:n=(\d+),chunk=(\d+),seed=(\d+)$/.exec(path);
  if (!m) throw new Error(`not a W7 job path: ${path} (expected w7:n=<N>,chunk=<C>,seed=<S>)`);
  return { n: Number(m[1]), chunk: Number(m[2]), seed: Number(m[3]) };
}

/** Looks a case up by id. */
export function caseById(id: string): BenchCase {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown case ${id}; known: ${CASES.map((x) => x.id).join(', ')}`);
  return c;
}

/**
 * Workloads that run only when `--only` names them: W6 generates a 5 GB file and runs for
 * tens of minutes.
 */
export const OPT_IN: readonly WorkloadId[] = ['W6'];

/**
 * Cases selected by `--only`: each token is a workload (`W4`) or a case id (`W4-csv`),
 * case-insensitive; no tokens selects everything but the {@link OPT_IN} workloads.
 */
export function selectCases(only: string[]): BenchCase[] {
  if (!only.length) return CASES.filter((c) => !OPT_IN.includes(c.workload));
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
