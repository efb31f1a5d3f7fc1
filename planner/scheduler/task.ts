/**
 * One task = one partition of one source, read once, feeding every pipeline of a compute()
 * that reads it. Runs in a worker thread (threads scheduler) or in-process (sync, memory
 * sources). Returns only what the coordinator needs: partial aggregates, sorted runs,
 * filtered/projected batches.
 */
import { ownedCopy } from '../../ops/kernels/wasm/memory.js';
import { allocValues, type Batch, type DType, type NumericArray, type Schema } from '../../core/types.js';
import type { ExprNode } from '../../core/expr/node.js';
import { batchTransferList } from '../../core/types.js';
import { serializeError, type SerializedError } from '../../core/errors.js';
import { exprName, unalias } from '../../core/expr/node.js';
import { localScan, type ScanCarry } from '../../ops/kernels/scan/local.js';
import { scanOp } from '../../ops/kernels/scan/ops.js';
import type { Partition, ReadStats, SourceSpec } from '../../io/source.js';
import { readerFor } from '../../io/registry.js';
import { withScratch, type ScratchAlloc } from '../../io/scratch.js';
import { evalExpr } from '../../ops/kernels/eval/index.js';
import { filterBatch } from '../../ops/kernels/filter/filter.js';
import { HashAggregator } from '../../ops/kernels/aggregate/index.js';
import { sortIndices, topK } from '../../ops/kernels/sort/index.js';
import { sliceBatch, takeBatch } from '../../ops/column/take.js';
import { plain, plainBatch } from '../../ops/column/dict.js';
import { explodeBatch } from '../../ops/kernels/explode/explode-batch.js';
import { probeBroadcast } from '../../ops/kernels/join/broadcast.js';
import type * as WordCountOps from '../../ops/operators/word-count.js';
import type { PipelineSpec } from '../physical/pipeline.js';
import { decodedInputs, dictionaryColumns } from './dict-columns.js';
import { countKept, dropHeld, holds, takeHeld, type Residency } from './resident.js';

export interface Task {
  source: SourceSpec;
  partition: Partition;
  /** schema of the whole source */
  schema: Schema;
  /** columns to decode: the union over the pipelines */
  columns: string[];
  pipelines: PipelineSpec[];
  /** word counts may stay in the thread across the stage's partitions (planner/scheduler/resident.ts) */
  resident?: Residency;
}

export interface TaskOutput { id: number; batch: Batch; carries?: (ScanCarry | null)[] }
export interface TaskMetrics {
  rowsRead: number; bytes: number; ms: number; thread: number;
  /** invalid UTF-8 sequences the reader replaced (text and JSON sources) */
  invalidUtf8?: number;
  /** CSV nominal partitions: quote bytes of the nominal range, and the parity the read assumed before it */
  quotes?: number;
  startParity?: number;
  /** the thread keeps word counts of this stage run after the task (collect them with a drain) */
  held?: boolean;
}
/** `resident`: partials a thread kept across partitions (seq is -1), to combine in any order. */
export interface TaskResult { seq: number; outputs: TaskOutput[]; metrics: TaskMetrics; error?: SerializedError; resident?: boolean }

/** Where a pipeline's rows come from, for the word counts of a fused sink. */
export interface PipelineContext { seq: number; resident?: Residency }

/** Applies a pipeline's pushed filters, row-local ops and sink-local step to a scanned batch. */
export function runPipeline(p: PipelineSpec, scanned: Batch, ctx: PipelineContext): { batch: Batch; carries?: (ScanCarry | null)[] } {
  // dictionary-encoded columns stay encoded only on their way to a group key or a sum/mean
  let b = p.sink.kind === 'agg' ? plainBatch(scanned, decodedInputs(p)) : plainBatch(scanned);
  for (const f of p.filters) b = filterBatch(b, evalExpr(f, b));
  b = select(b, p.columns);
  for (const op of p.ops) {
    if (op.kind === 'filter') b = filterBatch(b, evalExpr(op.predicate, b));
    else if (op.kind === 'explode') b = explodeBatch(b, op.exprs, op.at);
    else if (op.kind === 'probe') b = probeBroadcast(op, b);
    else {
      const cols: Batch['columns'] = {};
      for (const e of op.exprs) cols[exprName(e)] = evalExpr(e, b);
      b = { length: b.length, columns: cols };
    }
  }
  const s = p.sink;
  switch (s.kind) {
    case 'collect': return { batch: plainBatch(b) };
    case 'limit': return { batch: plainBatch(b.length > s.n ? sliceBatch(b, 0, s.n) : b) };
    case 'sort': {
      const idx = s.limit !== undefined ? topK(b, s.by, s.descending, s.limit) : sortIndices(b, s.by, s.descending);
      return { batch: takeBatch(b, idx) };
    }
    case 'agg': {
      if (s.fused) {
        const words = plain(evalExpr(s.fused.expr, b)), dropEmpty = s.fused.dropEmpty;
        return { batch: countWords(p.id, ctx, (st) => st.addColumn(ctx.seq, words, dropEmpty)) };
      }
      let carries: (ScanCarry | null)[] | undefined;
      // the scanned columns only feed this aggregate: they can live in per-thread scratch arrays
      if (s.scan) ({ batch: b, carries } = scanProject(s.scan.exprs, s.scan.types, b, true));
      for (const inp of s.inputs) b.columns[inp.name] = evalExpr(inp.expr, b);
      const partial = HashAggregator.partialOf({ keys: s.keys, keyTypes: s.keys.map((k) => s.inSchema[k]), aggs: s.aggs, inputTypes: s.inputTypes }, b);
      return { batch: partial, ...(carries ? { carries } : {}) };
    }
    case 'scan': {
      const r = scanProject(s.exprs, s.types, b);
      return { batch: plainBatch(r.batch), carries: r.carries };
    }
  }
}

/** Per-thread output arrays of scans whose results are consumed within the task (by index in the projection). */
const scanOuts: NumericArray[] = [];
function scanScratch(j: number, type: DType, n: number): NumericArray {
  const have = scanOuts[j];
  if (have && have.length >= n && have.constructor === allocValues(type, 0).constructor) return have;
  return (scanOuts[j] = allocValues(type, n));
}

/**
 * A projection holding scans over one partition: each scan runs locally and yields its
 * carry-out (with the count of values it produced); other expressions evaluate as usual.
 */
function scanProject(exprs: ExprNode[], types: Schema, b: Batch, scratch = false): { batch: Batch; carries: (ScanCarry | null)[] } {
  const cols: Batch['columns'] = {};
  const carries = exprs.map((e, j): ScanCarry | null => {
    const name = exprName(e), u = unalias(e);
    if (u.k !== 'scan') { cols[name] = evalExpr(e, b); return null; }
    const keys = u.over?.map((k) => b.columns[k]);
    const into = scratch ? scanScratch(j, types[name], b.length) : undefined;
    const r = localScan(plain(evalExpr(u.a, b)), scanOp(u.fn, u.custom), types[name], keys, into);
    cols[name] = r.out;
    return { ...r.carry, counted: r.out.length - r.out.nullCount };
  });
  return { batch: { length: b.length, columns: cols }, carries };
}

function select(b: Batch, cols: string[]): Batch {
  const out: Batch['columns'] = {};
  for (const c of cols) out[c] = b.columns[c];
  return { length: b.length, columns: out };
}

/** Counts a partition's words for pipeline `id` (planner/scheduler/resident.ts countKept). */
const countWords = (id: number, ctx: PipelineContext, count: (st: WordCountOps.WordCountState) => void): Batch =>
  countKept(ctx.resident, id, ctx.seq, () => new wordCount!.WordCountState(), count) ?? wordCount!.emptyCounts();

/** The word-count kernel loads with its Unicode tables only in tasks that use it. */
let wordCount: typeof WordCountOps | undefined;
async function loadWordCount(): Promise<typeof WordCountOps> {
  return (wordCount ??= await import('../../ops/operators/word-count.js'));
}

/**
 * True when every pipeline of a text-source task is a fused word count of the raw lines
 * without filters: the kernel then reads the block's bytes as they are, with no line column.
 */
function rawTextWordCount(task: Task): boolean {
  return task.source.format === 'text' && task.pipelines.every((p) => p.sink.kind === 'agg' && p.sink.fused?.dropEmpty === true &&
    p.sink.fused.expr.k === 'col' && p.sink.fused.expr.name === 'line' && p.filters.length === 0 && p.ops.length === 0);
}

/** What the stage needs to check a nominal CSV partition's parity assumption (a failed read reports it too). */
function noteQuotes(task: Task, stats: ReadStats, metrics: TaskMetrics): void {
  if (!task.partition.nominal) return;
  metrics.quotes = stats.quotes ?? 0;
  metrics.startParity = task.partition.startParity ?? 0;
}

/** Whether the thread keeps word counts of the task's stage run after it (a failed task too). */
function noteHeld(task: Task, metrics: TaskMetrics): void {
  if (task.resident && holds(task.resident.stage)) metrics.held = true;
}

/** Reads the partition once and runs every pipeline on it. Never throws: errors travel back serialized. */
export async function executeTask(task: Task, thread = 0): Promise<TaskResult> {
  const t0 = performance.now();
  const metrics: TaskMetrics = { rowsRead: 0, bytes: task.partition.bytes ?? 0, ms: 0, thread };
  const stats: ReadStats = { invalidUtf8: 0 };
  try {
    if (rawTextWordCount(task)) {
      const { readTextBlock } = await import('../../io/text/index.js');
      // the kernel only reads the block: the thread's scratch buffer serves every block
      await loadWordCount();
      const seq = task.partition.seq;
      // identical counts of several pipelines are counted once
      const ctx: PipelineContext = { seq, ...(task.pipelines.length === 1 && task.resident ? { resident: task.resident } : {}) };
      const { batch, bytes } = await withScratch(async (alloc) => {
        const b = await readTextBlock(task.source, task.partition, stats, alloc);
        return { batch: countWords(task.pipelines[0].id, ctx, (st) => st.addBlock(seq, b)), bytes: b.length };
      });
      metrics.bytes = bytes;
      metrics.ms = performance.now() - t0;
      metrics.invalidUtf8 = stats.invalidUtf8;
      noteHeld(task, metrics);
      return { seq, outputs: task.pipelines.map((p) => ({ id: p.id, batch })), metrics };
    }
    if (task.pipelines.some((p) => p.sink.kind === 'agg' && p.sink.fused)) await loadWordCount();
    const reader = await readerFor(task.source.format);
    const run = async (scratch?: ScratchAlloc): Promise<TaskOutput[]> => {
      const batch = await reader.read(task.source, task.partition, task.columns, task.schema, { dictionary: dictionaryColumns(task), stats, ...(scratch ? { scratch } : {}) });
      if (stats.invalidUtf8) metrics.invalidUtf8 = stats.invalidUtf8;
      noteQuotes(task, stats, metrics);
      metrics.rowsRead = batch.length;
      const ctx: PipelineContext = { seq: task.partition.seq, ...(task.resident ? { resident: task.resident } : {}) };
      return task.pipelines.map((p) => ({ id: p.id, ...runPipeline(p, batch, ctx) }));
    };
    // aggregates copy what they keep: nothing read for a task of aggregates outlives it, so the
    // reader may read into the thread's scratch buffer and hand out views of it
    // (a view of the kernel memory that an output kept anyway is copied: it cannot cross threads)
    const outputs = task.pipelines.every((p) => p.sink.kind === 'agg')
      ? (await withScratch(run)).map((o) => ({ ...o, batch: ownedCopy(o.batch) }))
      : await run();
    metrics.ms = performance.now() - t0;
    noteHeld(task, metrics);
    return { seq: task.partition.seq, outputs, metrics };
  } catch (e) {
    metrics.ms = performance.now() - t0;
    noteQuotes(task, stats, metrics);
    noteHeld(task, metrics);
    return { seq: task.partition.seq, outputs: [], metrics, error: serializeError(e) };
  }
}

/** A request for the word counts a thread kept for stage run `drain`; with `discard`, they are dropped. */
export interface DrainRequest { drain: number; discard?: boolean }

/** Answers a drain request in this thread: its kept partials (seq -1). Never throws. */
export function executeDrain(req: DrainRequest, thread = 0): TaskResult {
  const metrics: TaskMetrics = { rowsRead: 0, bytes: 0, ms: 0, thread };
  try {
    if (req.discard) { dropHeld(req.drain); return { seq: -1, outputs: [], metrics, resident: true }; }
    return { seq: -1, outputs: takeHeld(req.drain), metrics, resident: true };
  } catch (e) {
    dropHeld(req.drain);
    return { seq: -1, outputs: [], metrics, resident: true, error: serializeError(e) };
  }
}

/** ArrayBuffers of a result, to transfer rather than clone. Shared buffers (e.g. a column passed through twice) appear once. */
export function resultTransferList(r: TaskResult): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const o of r.outputs) {
    batchTransferList(o.batch, list);
    for (const c of o.carries ?? []) {
      if (!c) continue;
      for (const a of [c.gids, c.totals, c.groupSeen]) if (a && a.buffer instanceof ArrayBuffer && !list.includes(a.buffer)) list.push(a.buffer);
      if (c.keys) batchTransferList(c.keys, list);
    }
  }
  return list;
}
