/**
 * Hash aggregation that spills (DESIGN.md "Memory"): state lives in an in-memory
 * {@link HashAggregator} until it outgrows the memory account's budget; then its partial
 * rows are split by key hash into P partitions appended to spill files, and a fresh table
 * starts. Finalizing merges partition by partition, so memory is bounded by one partition.
 *
 * Correctness rests on two facts: every row of a group lands in the same partition (same
 * hash), and each partition's partials are combined in the order they were produced, which
 * is source order, so first/last see values in the right order. A partition that is still
 * too big is split again with the next hash seed.
 */
import { ResourceError } from '../../../core/errors.js';
import { formatBytes } from '../../../core/memory/format.js';
import type { MemoryBudget } from '../../../core/memory/ledger.js';
import { batchBytes, type Batch } from '../../../core/types.js';
import type { SpillDir } from '../../../io/spill/spill-dir.js';
import type { SpillFile } from '../../../io/spill/spill-file.js';
import { addDirFigures, emptySpillMetrics, type SpillDirFactory, type SpillMetrics } from '../../../io/spill/factory.js';
import { keyColumns, partitionSeed } from '../join/key-hash.js';
import { partitionIds, splitByPartition } from '../join/partition.js';
import { HashAggregator } from './hash-aggregator.js';
import type { AggPlan } from './types.js';

/**
 * Options of {@link SpillingHashAggregator}.
 * @example { memory: ledger.account('agg', { budget: 64 << 20 }), spillDir: spillDirFactory(os.tmpdir()), partitions: 16 }
 */
export interface SpillingAggOptions {
  /** the operator's memory account; its `limit` is the budget the in-memory state may use */
  memory: MemoryBudget;
  /** opens the spill directory on the first spill; the aggregator removes it when done */
  spillDir: SpillDirFactory;
  /** hash partitions per split, default 16 */
  partitions?: number;
  /** how many times a partition may be split again before giving up, default 4 */
  maxDepth?: number;
}

/** Hash-table overhead per group beyond the partial's columns (slots, group hashes, ids). */
const TABLE_BYTES_PER_GROUP = 32;

/** What the levels of one aggregation share: the directory, its owner's metrics. */
interface Shared {
  opts: Required<SpillingAggOptions>;
  dir: SpillDir | undefined;
  metrics: SpillMetrics;
}

/**
 * A {@link HashAggregator} bounded by a memory budget. Feed it raw batches (`sink`) or
 * worker partials in source order (`combine`), then iterate `finalize()`.
 *
 * Output order: with no spill, groups in first-appearance order (as HashAggregator); after a
 * spill, partition by partition, first-appearance order within each.
 * @example
 * const agg = new SpillingHashAggregator(plan, { memory: ledger.account('agg', { budget: 64 << 20 }), spillDir: spillDirFactory(os.tmpdir()) });
 * try {
 *   for await (const b of source) await agg.sink(b);
 *   for await (const out of agg.finalize()) emit(out);
 * } finally {
 *   await agg.close();
 * }
 * agg.metrics.spilledBytes // 0 when it fitted
 */
export class SpillingHashAggregator {
  private agg: HashAggregator;
  private files: (SpillFile | undefined)[] | undefined;
  private readonly shared: Shared;
  /** bytes reserved on the account for the in-memory state */
  private charged = 0;
  /** estimated state bytes per group, recalibrated at every measurement */
  private perGroup: number;
  /** input bytes absorbed since the state was last measured */
  private absorbed = 0;
  private done = false;

  /** hash partitions of this level's splits */
  private readonly parts: number;

  constructor(readonly plan: AggPlan, opts: SpillingAggOptions, private readonly level = 0, shared?: Shared, parts?: number) {
    this.shared = shared ?? {
      opts: { partitions: 16, maxDepth: 4, ...opts },
      dir: undefined,
      metrics: emptySpillMetrics(),
    };
    this.parts = parts ?? this.shared.opts.partitions;
    this.agg = new HashAggregator(plan);
    this.perGroup = 16 + 8 * plan.keys.length + 16 * plan.aggs.length;
  }

  /** Figures so far: spilled bytes, partitions, peak memory of the account. */
  get metrics(): SpillMetrics {
    const m = { ...this.shared.metrics };
    addDirFigures(m, this.shared.dir);
    m.peakBytes = this.shared.opts.memory.peak;
    return m;
  }

  /** Groups held in memory right now. */
  get groups(): number { return this.agg.groups; }

  /** Aggregates a batch of raw rows (key columns and aggregate inputs). */
  async sink(batch: Batch): Promise<void> {
    this.checkOpen();
    this.agg.sink(batch);
    await this.afterUpdate(batchBytes(batch));
  }

  /** Merges a partial of a HashAggregator with the same plan. Call in source order. */
  async combine(partial: Batch): Promise<void> {
    this.checkOpen();
    this.agg.combine(partial);
    await this.afterUpdate(batchBytes(partial));
  }

  /**
   * The result, one batch per partition after a spill (one batch otherwise). Releases the
   * memory and spill files as it goes; call once, and iterate to the end or call `close()`.
   */
  async *finalize(): AsyncGenerator<Batch> {
    if (this.done) throw new Error('SpillingHashAggregator.finalize() called twice');
    this.done = true;
    try {
      if (!this.files) {
        const out = this.agg.finalize();
        this.resetTable();
        yield out;
        return;
      }
      if (this.agg.groups > 0) await this.spill(this.agg.toPartial());
      const files = this.files;
      for (let p = 0; p < files.length; p++) {
        const f = files[p];
        if (!f) continue;
        files[p] = undefined;
        // a partition that will not fit splits only as many ways as it needs: fewer, larger blocks
        const ways = Math.min(this.shared.opts.partitions, Math.max(2, Math.ceil((2 * f.memoryBytes) / this.shared.opts.memory.limit)));
        const child = new SpillingHashAggregator(this.plan, this.shared.opts, this.level + 1, this.shared, ways);
        try {
          for await (const part of f.read()) await child.combine(part);
        } catch (e) {
          await child.close();
          throw e;
        }
        await f.remove();
        if (child.files) this.shared.metrics.repartitions++;
        // the child's own finally releases its state and files
        yield* child.finalize();
      }
    } finally {
      await this.release();
    }
  }

  /** Gives back memory and removes spill files; the aggregator cannot be used afterwards. */
  async close(): Promise<void> {
    this.done = true;
    await this.release();
  }

  private checkOpen(): void {
    if (this.done) throw new Error('SpillingHashAggregator used after finalize() or close()');
  }

  private async release(): Promise<void> {
    this.resetTable();
    for (const f of this.files ?? []) await f?.remove();
    this.files = undefined;
    if (this.level === 0 && this.shared.dir) {
      addDirFigures(this.shared.metrics, this.shared.dir);
      await this.shared.dir.cleanup();
    }
  }

  private resetTable(): void {
    this.agg = new HashAggregator(this.plan);
    if (this.charged > 0) this.shared.opts.memory.release(this.charged);
    this.charged = 0;
    this.absorbed = 0;
  }

  /** Charges the grown state; measures it exactly when the estimate says it is over budget. */
  private async afterUpdate(inputBytes: number): Promise<void> {
    const mem = this.shared.opts.memory;
    this.absorbed += inputBytes;
    const estimate = Math.ceil(this.agg.groups * this.perGroup);
    if (estimate > this.charged && mem.tryReserve(estimate - this.charged)) this.charged = estimate;
    // the estimate can lag (utf8 keys, distinct sets), so measure every half budget of input
    // too; state held beyond the budget (nothing to split) once per half its own size of input
    if (estimate <= this.charged && this.absorbed * 2 <= Math.max(mem.limit, this.charged)) return;
    await this.measure();
  }

  private async measure(): Promise<void> {
    const mem = this.shared.opts.memory;
    const groups = this.agg.groups;
    const partial = this.agg.toPartial();
    const actual = Math.ceil(batchBytes(partial) + groups * TABLE_BYTES_PER_GROUP);
    this.perGroup = Math.max(8, actual / Math.max(1, groups));
    this.absorbed = 0;
    if (actual <= this.charged) {
      mem.release(this.charged - actual);
      this.charged = actual;
      return;
    }
    if (mem.tryReserve(actual - this.charged)) { this.charged = actual; return; }
    if (this.plan.keys.length === 0 || this.level >= this.shared.opts.maxDepth) {
      // nothing left to split by: hold it if the ledger can, else fail with the figures
      try {
        mem.reserve(actual - this.charged, 'hash aggregate');
      } catch (e) {
        throw new ResourceError(`hash aggregate state of ${formatBytes(actual)} (${groups} groups) cannot be split further ` +
          `(${this.plan.keys.length === 0 ? 'no group keys' : `already partitioned ${this.level} times`}) and does not fit: ${(e as Error).message}`, { cause: e });
      }
      this.charged = actual;
      return;
    }
    await this.spill(partial);
  }

  /** Appends the partial's rows to their partitions' files and starts an empty table. */
  private async spill(partial: Batch): Promise<void> {
    const s = this.shared, parts = this.parts;
    s.dir ??= await s.opts.spillDir();
    if (!this.files) {
      this.files = new Array<SpillFile | undefined>(parts).fill(undefined);
      s.metrics.partitions += parts;
    }
    const cols = keyColumns(partial, this.plan.keys.map((_, j) => `#k${j}`), 'partial key');
    const pieces = splitByPartition(partial, partitionIds(cols, partial.length, parts, partitionSeed(this.level), 'group'), parts);
    this.resetTable();
    const dir = s.dir, files = this.files;
    await Promise.all(pieces.map((b, p) => (b ? (files[p] ??= dir.file(`agg-l${this.level}-p${p}`)).append(b) : undefined)));
  }
}
