/** How spilling kernels get a spill directory, and the figures they report about spilling. */
import { SpillDir, type SpillOptions } from './spill-dir.js';

/**
 * Opens the spill directory a kernel spills into. Kernels call it on their first spill only
 * (an operator that fits in memory touches no disk), own what it returns and remove it
 * when they finish, fail or are abandoned.
 * @example const factory: SpillDirFactory = () => SpillDir.open(config().spillDir, { level: 1 })
 */
export type SpillDirFactory = () => Promise<SpillDir>;

/**
 * The factory for private directories under `base` (normally `config().spillDir`).
 * @example new SpillingHashAggregator(plan, { memory, spillDir: spillDirFactory(os.tmpdir()) })
 */
export function spillDirFactory(base: string, opts?: SpillOptions): SpillDirFactory {
  return () => SpillDir.open(base, opts);
}

/**
 * What a spilling kernel did: all zeros when it stayed in memory.
 * @example if (agg.metrics.spilledBytes > 0) explainNote(`spilled ${formatBytes(agg.metrics.spilledBytes)}`)
 */
export interface SpillMetrics {
  /** bytes written to disk (compressed) */
  spilledBytes: number;
  /** Arrow IPC bytes before compression */
  spilledRawBytes: number;
  spilledRows: number;
  /** bytes read back from disk */
  readBytes: number;
  /** spill files created */
  files: number;
  /** hash partitions created (aggregate, join), recursive ones included */
  partitions: number;
  /** partitions that had to be split again with another hash seed */
  repartitions: number;
  /** sorted runs written (sort) */
  runs: number;
  /** merge passes over runs before the final one (sort) */
  mergePasses: number;
  /** peak bytes the kernel's memory account held */
  peakBytes: number;
}

/**
 * A metrics record with every figure at zero.
 * @example const m = emptySpillMetrics(); m.spilledBytes === 0
 */
export function emptySpillMetrics(): SpillMetrics {
  return { spilledBytes: 0, spilledRawBytes: 0, spilledRows: 0, readBytes: 0, files: 0, partitions: 0, repartitions: 0, runs: 0, mergePasses: 0, peakBytes: 0 };
}

/**
 * Copies a directory's IO figures into `m`.
 * @example addDirFigures(metrics, dir)
 */
export function addDirFigures(m: SpillMetrics, dir: SpillDir | undefined): void {
  if (!dir) return;
  m.spilledBytes = dir.bytesWritten;
  m.spilledRawBytes = dir.rawBytesWritten;
  m.spilledRows = dir.rowsWritten;
  m.readBytes = dir.bytesRead;
  m.files = dir.filesCreated;
}
