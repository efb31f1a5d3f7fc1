/**
 * Coordinator side of each sink: Combine (as partition results arrive, in source order where
 * it matters) and Finalize (once).
 */
import type { Batch, Schema } from '../../core/types.js';
import { emptyColumn } from '../../ops/column/build.js';
import { concatBatches, sliceBatch } from '../../ops/column/take.js';
import { SpillingHashAggregator } from '../../ops/kernels/aggregate/spilling-aggregator.js';
import { MemoryLedger } from '../../core/memory/index.js';
import type { OperatorMemory } from './memory.js';
import { AsyncQueue } from './async-queue.js';
import { externalSort } from '../../ops/kernels/sort/external-sort.js';
import { emptySpillMetrics, spillDirFactory, type SpillMetrics } from '../../io/spill/index.js';
import { mergeSorted, sortIndices } from '../../ops/kernels/sort/index.js';
import { takeBatch } from '../../ops/column/take.js';
import { FIRST_SEEN, type PipelineSpec } from './pipeline.js';
import { unalias } from '../../core/expr/node.js';
import type { ScanCarry } from '../../ops/kernels/scan/local.js';
import type { TaskOutput, TaskResult } from '../scheduler/task.js';
import { scanOp } from '../../ops/kernels/scan/ops.js';
import { ScanStitcher } from '../../ops/kernels/scan/stitch.js';
import { shiftPartial } from '../../ops/kernels/scan/shift-partial.js';

export function emptyBatch(schema: Schema): Batch {
  const columns: Batch['columns'] = {};
  for (const [k, t] of Object.entries(schema)) columns[k] = emptyColumn(t);
  return { length: 0, columns };
}

/** Accounts for aggregates run without a query's ledger (coordinator-side continuations over small inputs). */
const UNBOUNDED = new MemoryLedger(Number.MAX_SAFE_INTEGER, { name: 'unbounded' });

/** Receives partition results of one pipeline and produces its merged result. */
export class Collector {
  private readonly pending = new Map<number, Batch>();
  private readonly order: number[];
  private readonly sequential: boolean;
  private pos = 0;
  private readonly ready: Batch[] = [];
  private rows = 0;
  private readonly agg?: SpillingHashAggregator;
  private readonly mem?: OperatorMemory;
  /** a full sort within a memory account: sorted partitions go to an external merge sort */
  private readonly sorter?: { queue: AsyncQueue<Batch>; out: AsyncGenerator<Batch>; first: Promise<IteratorResult<Batch>>; metrics: SpillMetrics };
  private readonly stitchers?: (ScanStitcher | null)[];
  private readonly pendingCarries = new Map<number, (ScanCarry | null)[]>();
  /** an aggregate over additive scans: shifts each partial by its carry-in, then advances the carries */
  private readonly shift?: (partial: Batch, carries: (ScanCarry | null)[]) => void;

  /**
   * `seqs`: the partitions in source order, or null to take results in arrival order. `mem`:
   * the aggregate's memory account and spill directory (without it, the state is unbounded).
   */
  constructor(readonly p: PipelineSpec, seqs: number[] | null, mem?: OperatorMemory) {
    this.order = seqs ?? [];
    this.sequential = seqs === null;
    const s = p.sink;
    if (s.kind === 'agg') {
      this.mem = mem;
      this.agg = new SpillingHashAggregator({ keys: s.keys, keyTypes: s.keys.map((k) => s.inSchema[k]), aggs: s.aggs, inputTypes: s.inputTypes },
        mem ? { memory: mem.account, spillDir: mem.spillDir } : { memory: UNBOUNDED.account('aggregate'), spillDir: spillDirFactory('.') });
    }
    if (s.kind === 'agg' && s.scan) {
      const { exprs, targets } = s.scan;
      const carryIn = exprs.map(() => 0);
      this.shift = (partial, carries) => {
        shiftPartial(partial, s.aggs, targets, carryIn, carries.map((c) => c?.counted ?? 0));
        carries.forEach((c, j) => { if (c?.seen) carryIn[j] += c.total!; });
      };
    }
    if (s.kind === 'sort' && s.limit === undefined && mem) {
      this.mem = mem;
      const queue = new AsyncQueue<Batch>(), metrics = emptySpillMetrics();
      const out = externalSort(queue, { by: s.by, descending: s.descending, memory: mem.account, spillDir: mem.spillDir, presorted: true, metrics });
      const first = out.next();
      first.catch(() => undefined);
      this.sorter = { queue, out, first, metrics };
    }
    if (s.kind === 'scan') {
      this.stitchers = s.exprs.map((e, j) => {
        const u = unalias(e);
        return u.k === 'scan' ? new ScanStitcher(scanOp(u.fn, u.custom), s.keyTypes[j] ?? undefined) : null;
      });
    }
  }

  /** Adds the result of partition `seq`; results are consumed in source order. */
  async add(seq: number, b: Batch, carries?: (ScanCarry | null)[]): Promise<void> {
    if (this.sequential) this.order.push(seq);
    this.pending.set(seq, b);
    if (carries) this.pendingCarries.set(seq, carries);
    while (this.pos < this.order.length && this.pending.has(this.order[this.pos])) {
      const s = this.order[this.pos++];
      const next = this.pending.get(s)!;
      this.pending.delete(s);
      if (this.stitchers) {
        const cs = this.pendingCarries.get(s)!;
        this.pendingCarries.delete(s);
        const names = Object.keys(next.columns);
        this.stitchers.forEach((st, j) => { if (st && cs[j]) st.apply(next.columns[names[j]], cs[j]!); });
      }
      if (this.agg) {
        if (this.shift) this.shift(next, this.pendingCarries.get(s) ?? []);
        this.pendingCarries.delete(s);
        await this.agg.combine(next);
      }
      else if (this.sorter) await this.pushSorted(this.sorter, next);
      else if (next.length > 0 || this.ready.length === 0) { this.ready.push(next); this.rows += next.length; }
    }
  }

  /**
   * Adds one output of a task result: a partition's, in source order (see {@link add}), or a
   * partial that several partitions fed (`resident`: a word count a thread kept across its
   * partitions, planner/scheduler/resident.ts), whose groups carry their first position, so
   * it combines in any order.
   */
  async addResult(r: TaskResult, o: TaskOutput): Promise<void> {
    if (!r.resident) return this.add(r.seq, o.batch, o.carries);
    if (!this.agg || this.p.sink.kind !== 'agg' || !this.p.sink.fused) throw new Error('internal: only word counts take partials of several partitions');
    await this.agg.combine(o.batch);
  }

  /** Hands a sorted partition to the external sort; when the sort failed, its own error surfaces. */
  private async pushSorted(sorter: NonNullable<Collector['sorter']>, b: Batch): Promise<void> {
    try {
      await sorter.queue.push(b);
    } catch (e) {
      await sorter.first;
      throw e;
    }
  }

  /** Releases what the collector holds (aggregate state, spill files); after a failure. */
  async close(): Promise<void> {
    await this.agg?.close();
    if (this.sorter) {
      this.sorter.queue.fail(new Error('sort abandoned'));
      await this.sorter.first.catch(() => undefined);
    }
  }

  /**
   * The sorted result batch by batch (a full sort within a memory account streams its merge);
   * for other sinks, the merged result as one batch.
   */
  async *finalizeStream(): AsyncGenerator<Batch> {
    const sorter = this.sorter;
    if (!sorter) { yield await this.finalize(); return; }
    sorter.queue.end();
    try {
      for (let r = await sorter.first; !r.done; r = await sorter.out.next()) yield r.value;
    } finally {
      await sorter.out.return(undefined);
      this.mem?.finished(sorter.metrics);
    }
  }

  /** True once a limit has enough rows in order: the remaining partitions are not needed. */
  get done(): boolean { return this.p.sink.kind === 'limit' && this.rows >= this.p.sink.n; }

  /** Batches that are complete and in order (collect sinks), handed over once. */
  drain(): Batch[] { return this.ready.splice(0, this.ready.length); }

  async finalize(): Promise<Batch> {
    const s = this.p.sink;
    if (this.sorter) {
      const parts: Batch[] = [];
      for await (const b of this.finalizeStream()) parts.push(b);
      return parts.length === 1 ? parts[0] : parts.length ? concatBatches(parts, Object.keys(this.p.resultSchema)) : emptyBatch(this.p.resultSchema);
    }
    if (this.agg) {
      // one batch per spilled partition (groups then come partition by partition), else one
      const parts: Batch[] = [];
      for await (const b of this.agg.finalize()) parts.push(b);
      this.mem?.finished(this.agg.metrics);
      if (s.kind === 'agg' && s.fused) return byFirstSeen(parts.length === 1 ? parts[0] : concatBatches(parts));
      return parts.length === 1 ? parts[0] : concatBatches(parts, Object.keys(this.p.resultSchema));
    }
    const parts = this.ready.filter((b) => b.length > 0);
    const names = Object.keys(this.p.resultSchema);
    if (s.kind === 'sort') {
      if (!parts.length) return emptyBatch(this.p.resultSchema);
      const merged = mergeSorted(parts, s.by, s.descending);
      return s.limit !== undefined && merged.length > s.limit ? sliceBatch(merged, 0, s.limit) : merged;
    }
    if (!parts.length) return emptyBatch(this.p.resultSchema);
    const all = concatBatches(parts, names);
    return s.kind === 'limit' && all.length > s.n ? sliceBatch(all, 0, s.n) : all;
  }
}

/** A word count's groups in order of first appearance, without the position column. */
function byFirstSeen(b: Batch): Batch {
  const ordered = takeBatch(b, sortIndices(b, [FIRST_SEEN], [false]));
  delete ordered.columns[FIRST_SEEN];
  return ordered;
}
