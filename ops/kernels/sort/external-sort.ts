/**
 * External merge sort (DESIGN.md "Memory"): batches accumulate until a third of the memory
 * budget (sorting makes a concatenated and a sorted copy), are sorted with the radix kernel and spilled as a sorted
 * run; at the end the runs are merged with a heap, streaming one block per run. With more
 * runs than one pass can hold a block of, consecutive runs are merged into longer ones first.
 *
 * Stable like {@link sortIndices}: runs hold consecutive stretches of the input in order,
 * each run is sorted stably, and the merge breaks ties by run number.
 */
import type { MemoryBudget } from '../../../core/memory/ledger.js';
import { batchBytes, type Batch } from '../../../core/types.js';
import { addDirFigures, emptySpillMetrics, type SpillDirFactory, type SpillMetrics } from '../../../io/spill/factory.js';
import type { SpillDir } from '../../../io/spill/spill-dir.js';
import type { SpillFile } from '../../../io/spill/spill-file.js';
import { plainBatch } from '../../column/dict.js';
import { concatBatches, sliceBatch, takeBatch } from '../../column/take.js';
import { crossComparator, type CrossComparator } from './compare.js';
import { sortIndices } from './sort-indices.js';
import { mergeSorted } from './merge-sorted.js';

/**
 * Options of {@link externalSort}.
 * @example { by: ['k'], descending: true, memory: ledger.account('sort'), spillDir: spillDirFactory(os.tmpdir()), batchRows: 8192 }
 */
export interface ExternalSortOptions {
  /** sort columns, most significant first */
  by: string[];
  /** per key, or one flag for all; default ascending */
  descending?: boolean | boolean[];
  /** the operator's memory account; its `limit` is the budget */
  memory: MemoryBudget;
  /** opens the spill directory on the first spilled run; removed when the sort ends */
  spillDir: SpillDirFactory;
  /** rows per output batch, default 65536 */
  batchRows?: number;
  /** filled in as the sort runs: runs, merge passes, spilled bytes, peak memory */
  metrics?: SpillMetrics;
  /**
   * Every input batch is already sorted (a partition sorted in a worker): buffered batches
   * are merged rather than sorted again.
   */
  presorted?: boolean;
}

/** Most runs merged at once (each holds an open file and one block in memory). */
const MAX_FAN_IN = 64;

interface Sorter {
  by: string[];
  desc: boolean[];
  presorted: boolean;
  mem: MemoryBudget;
  batchRows: number;
  /** block size of runs, so a merge's blocks fit the budget */
  runBlockBytes: number;
  fanIn: number;
}

/**
 * Sorts a stream of batches (nulls last, NaN above numbers, utf8 by bytes, ties in input
 * order) within a memory budget, spilling sorted runs when it is exceeded. Yields batches
 * of `batchRows` rows; with everything in memory no file is ever touched.
 * @example
 * const metrics = emptySpillMetrics();
 * for await (const b of externalSort(source, { by: ['id', 'v'], descending: [false, true],
 *   memory: ledger.account('sort', { budget: 64 << 20 }), spillDir: spillDirFactory(os.tmpdir()), metrics })) emit(b);
 * metrics.runs // 0 when it fitted
 */
export async function* externalSort(batches: AsyncIterable<Batch>, opts: ExternalSortOptions): AsyncGenerator<Batch> {
  const mem = opts.memory;
  const runBlockBytes = Math.min(1 << 20, Math.max(16 * 1024, Math.floor(mem.limit / 8)));
  const s: Sorter = {
    by: opts.by,
    desc: opts.by.map((_, j) => (Array.isArray(opts.descending) ? opts.descending[j] ?? false : opts.descending ?? false)),
    presorted: opts.presorted ?? false,
    mem,
    batchRows: opts.batchRows ?? 65536,
    runBlockBytes,
    fanIn: Math.max(2, Math.min(MAX_FAN_IN, Math.floor(mem.limit / (2 * runBlockBytes)))),
  };
  const metrics = opts.metrics ?? emptySpillMetrics();
  const runLimit = Math.max(1, Math.floor(mem.limit / 3));
  let dir: SpillDir | undefined;
  let runs: SpillFile[] = [];
  let buffered: Batch[] = [], bufferedBytes = 0, empty: Batch | undefined;

  const spillRun = async (): Promise<void> => {
    dir ??= await opts.spillDir();
    const sorted = sortInMemory(s, buffered, bufferedBytes);
    buffered = [];
    const run = dir.file('run');
    await run.append(sorted, { blockBytes: s.runBlockBytes });
    await run.finish();
    runs.push(run);
    metrics.runs++;
    mem.release(bufferedBytes);
    bufferedBytes = 0;
  };

  try {
    for await (const input of batches) {
      if (input.length === 0) { empty ??= input; continue; }
      const b = plainBatch(input), bytes = batchBytes(b);
      if (!(bufferedBytes + bytes <= runLimit && mem.tryReserve(bytes))) {
        if (buffered.length > 0) await spillRun();
        if (s.presorted && !(bytes <= runLimit && mem.tryReserve(bytes))) {
          // an already sorted input over the budget is a run as it is: straight to disk
          dir ??= await opts.spillDir();
          const run = dir.file('run');
          await run.append(b, { blockBytes: s.runBlockBytes });
          await run.finish();
          runs.push(run);
          metrics.runs++;
          continue;
        }
        if (!s.presorted) mem.reserve(bytes, 'sort');
      }
      buffered.push(b);
      bufferedBytes += bytes;
    }
    if (runs.length === 0) {
      if (buffered.length === 0) { if (empty) yield empty; return; }
      const sorted = sortInMemory(s, buffered, bufferedBytes);
      buffered = [];
      yield* slices(sorted, s.batchRows);
      return;
    }
    if (buffered.length > 0) await spillRun();
    while (runs.length > s.fanIn) {
      runs = await mergePass(s, runs, dir!);
      metrics.mergePasses++;
    }
    yield* mergeRuns(s, runs);
  } finally {
    if (bufferedBytes > 0) mem.release(bufferedBytes);
    addDirFigures(metrics, dir);
    metrics.peakBytes = Math.max(metrics.peakBytes, mem.peak);
    await dir?.cleanup();
  }
}

/** Sorts buffered batches; the concatenated and sorted copies are charged while they exist. */
function sortInMemory(s: Sorter, buffered: Batch[], bytes: number): Batch {
  const extra = buffered.length > 1 ? 2 * bytes : bytes;
  s.mem.reserve(extra, 'sort');
  try {
    if (s.presorted) return buffered.length === 1 ? buffered[0] : mergeSorted(buffered, s.by, s.desc);
    const all = concatBatches(buffered);
    return takeBatch(all, sortIndices(all, s.by, s.desc));
  } finally {
    s.mem.release(extra);
  }
}

function* slices(b: Batch, rows: number): Generator<Batch> {
  if (b.length <= rows) { yield b; return; }
  for (let i = 0; i < b.length; i += rows) yield sliceBatch(b, i, Math.min(b.length, i + rows));
}

/** Merges consecutive groups of runs into longer runs, keeping run order (and so stability). */
async function mergePass(s: Sorter, runs: SpillFile[], dir: SpillDir): Promise<SpillFile[]> {
  const out: SpillFile[] = [];
  for (let i = 0; i < runs.length; i += s.fanIn) {
    const group = runs.slice(i, i + s.fanIn);
    if (group.length === 1) { out.push(group[0]); continue; }
    const merged = dir.file('run');
    for await (const b of mergeRuns(s, group)) await merged.append(b, { blockBytes: s.runBlockBytes });
    await merged.finish();
    for (const r of group) await r.remove();
    out.push(merged);
  }
  return out;
}

/** One run being merged: its block iterator and current block. */
interface Cursor { it: AsyncIterator<Batch>; block: Batch; pos: number; done: boolean }

/** k-way merge of sorted runs, streaming block by block; yields batches of `batchRows`. */
async function* mergeRuns(s: Sorter, runs: SpillFile[]): AsyncGenerator<Batch> {
  const k = runs.length;
  const cursors: Cursor[] = [];
  /** bytes of blocks loaded and not yet released */
  let held = 0;
  const load = async (c: Cursor): Promise<void> => {
    for (;;) {
      const r = await c.it.next();
      if (r.done) { c.done = true; return; }
      if (r.value.length === 0) continue;
      c.block = r.value; c.pos = 0;
      const bytes = batchBytes(r.value);
      s.mem.reserve(bytes, 'sort merge');
      held += bytes;
      return;
    }
  };
  try {
    for (const run of runs) {
      const c: Cursor = { it: run.read()[Symbol.asyncIterator](), block: { length: 0, columns: {} }, pos: 0, done: false };
      await load(c);
      cursors.push(c);
    }
    let cmp: CrossComparator = comparatorOf(s, cursors);
    const less = (a: number, b: number): boolean => {
      const d = cmp(a, cursors[a].pos, b, cursors[b].pos);
      return d < 0 || (d === 0 && a < b);
    };
    const heap: number[] = [];
    for (let j = 0; j < k; j++) if (!cursors[j].done) heapPush(heap, j, less);
    const out = new Output(s.batchRows);
    while (heap.length > 0) {
      const j = heap[0], c = cursors[j];
      out.add(c.block, c.pos++);
      if (c.pos === c.block.length) {
        out.retire(c.block);
        await load(c);
        if (c.done) heapPop(heap, less);
        else { cmp = comparatorOf(s, cursors); siftDown(heap, 0, less); }
      } else siftDown(heap, 0, less);
      if (out.full()) {
        yield out.flush();
        s.mem.release(out.releasable);
        held -= out.releasable;
        out.releasable = 0;
      }
    }
    if (out.rows > 0) yield out.flush();
  } finally {
    if (held > 0) s.mem.release(held);
    await Promise.all(cursors.map((c) => c.it.return?.()));
  }
}

function comparatorOf(s: Sorter, cursors: Cursor[]): CrossComparator {
  // exhausted runs keep their last block, which is never compared again
  return crossComparator(cursors.map((c) => c.block), s.by, s.desc);
}

/** Rows picked by the merge, gathered into output batches. */
class Output {
  rows = 0;
  /** bytes of retired blocks the next flush lets go of */
  releasable = 0;
  private blocks: Batch[] = [];
  private ids = new Map<Batch, number>();
  private readonly blockOf: Int32Array;
  private readonly rowOf: Int32Array;
  private retired: Batch[] = [];

  constructor(private readonly size: number) {
    this.blockOf = new Int32Array(size);
    this.rowOf = new Int32Array(size);
  }

  add(block: Batch, row: number): void {
    let id = this.ids.get(block);
    if (id === undefined) { id = this.blocks.length; this.blocks.push(block); this.ids.set(block, id); }
    this.blockOf[this.rows] = id;
    this.rowOf[this.rows++] = row;
  }

  retire(block: Batch): void { this.retired.push(block); }

  full(): boolean { return this.rows === this.size; }

  /** The picked rows in pick order: each block's rows taken at once, then interleaved. */
  flush(): Batch {
    const m = this.blocks.length, n = this.rows;
    const count = new Int32Array(m + 1);
    for (let i = 0; i < n; i++) count[this.blockOf[i] + 1]++;
    for (let b = 0; b < m; b++) count[b + 1] += count[b];
    const at = count.slice(0, m), rows = new Int32Array(n), perm = new Int32Array(n);
    for (let i = 0; i < n; i++) { const b = this.blockOf[i], p = at[b]++; rows[p] = this.rowOf[i]; perm[i] = p; }
    const pieces = this.blocks.map((blk, b) => takeBatch(blk, rows.subarray(count[b], count[b + 1])));
    const out = m === 1 ? pieces[0] : takeBatch(concatBatches(pieces), perm);
    for (const r of this.retired) this.releasable += batchBytes(r);
    this.retired = [];
    this.blocks = []; this.ids.clear(); this.rows = 0;
    return out;
  }
}

function heapPush(h: number[], x: number, less: (a: number, b: number) => boolean): void {
  let i = h.length;
  h.push(x);
  while (i > 0) { const p = (i - 1) >> 1; if (!less(x, h[p])) break; h[i] = h[p]; i = p; }
  h[i] = x;
}

function heapPop(h: number[], less: (a: number, b: number) => boolean): void {
  const last = h.pop()!;
  if (h.length > 0) { h[0] = last; siftDown(h, 0, less); }
}

function siftDown(h: number[], i: number, less: (a: number, b: number) => boolean): void {
  const x = h[i], n = h.length;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(h[c + 1], h[c])) c++;
    if (!less(h[c], x)) break;
    h[i] = h[c]; i = c;
  }
  h[i] = x;
}
