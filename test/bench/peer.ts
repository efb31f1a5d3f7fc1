/** The contract every benchmarked engine implements, and which engine runs which case. */
import type { Answer } from './answer.js';
import type { BenchCase, Job } from './workloads.js';

/**
 * An engine ready to run jobs (its modules already imported, so imports are not timed).
 * `run` resolves once the engine has produced its native result; the returned function turns
 * that result into an {@link Answer} and is not timed.
 */
export interface Peer {
  /** Runs the timed query; the function it returns builds the answer after the clock stops. */
  run(job: Job): Promise<() => Answer | Promise<Answer>>;
  /**
   * Peak RSS (MB) of a helper process the engine ran in, if any (numpy runs in python3): the
   * child's own `maxRSS` does not include it.
   */
  helperPeakRssMB?(): number | undefined;
}

/** Engine names, in report order. */
export const PEER_NAMES = ['tessera', 'tessera-cold', 'tessera-1w', 'duckdb', 'polars', 'naive', 'arquero', 'numpy'] as const;

/** One of {@link PEER_NAMES}. */
export type PeerName = (typeof PEER_NAMES)[number];

/** Harness settings that decide which peers run. */
export interface PeerSelection {
  rows: number;
  arquero: boolean;
  peers?: string[];
}

/**
 * Whether `peer` runs `c`. Arquero materializes every CSV field as a JS value (about 45 s and
 * 5.6 GB at 1e7 rows), so it only runs W4 on CSV and only up to 1e7 rows.
 */
export function peerRuns(peer: PeerName, c: BenchCase, sel: PeerSelection): boolean {
  if (sel.peers?.length && !sel.peers.includes(peer)) return false;
  // one worker thread instead of two: the scaling check of BENCHMARKS.md (2 workers >= 1.7x)
  if (peer === 'tessera-1w') return c.workload === 'W2' || c.workload === 'W7';
  // the pool started without its warm-up (ts.startWorkers({ warmUp: false })): what a first
  // query pays for the JIT, on the workloads whose formats have a warm-up sample
  if (peer === 'tessera-cold') return (c.workload === 'W1' || c.workload === 'W4' || c.workload === 'W5') && (c.format === 'parquet' || c.format === 'csv');
  // W7 is an array workload: only engines with N-d arrays run it, and numpy runs nothing else
  if (c.workload === 'W7' || peer === 'numpy') return c.workload === 'W7' && (peer === 'tessera' || peer === 'numpy');
  // W6 is measured against DuckDB under the same memory limit (Polars' streaming engine holds 5-9 GB here)
  if (c.workload === 'W6') return peer === 'tessera' || peer === 'duckdb';
  if (peer === 'arquero') return sel.arquero && c.id === 'W4-csv' && sel.rows <= 1e7;
  // DuckDB has no Arrow IPC reader here; the hand-written W3 program reads Arrow IPC only
  if (c.workload === 'W3') return peer === 'tessera' || peer === 'polars' || (c.format === 'parquet' ? peer === 'duckdb' : peer === 'naive');
  return true;
}

/** Imports one peer's module; only the child process that runs it pays for its imports. */
export async function loadPeer(name: string): Promise<Peer> {
  switch (name) {
    case 'tessera': return (await import('./peers/tessera.js')).load();
    case 'tessera-1w': return (await import('./peers/tessera.js')).load(1);
    case 'tessera-cold': return (await import('./peers/tessera.js')).load(2, false);
    case 'duckdb': return (await import('./peers/duckdb.js')).load();
    case 'polars': return (await import('./peers/polars.js')).load();
    case 'naive': return (await import('./peers/naive.js')).load();
    case 'arquero': return (await import('./peers/arquero.js')).load();
    case 'numpy': return (await import('./peers/numpy.js')).load();
    default: throw new Error(`unknown peer ${name}; known: ${PEER_NAMES.join(', ')}`);
  }
}
