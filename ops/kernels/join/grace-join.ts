/**
 * Hash join within a memory budget (DESIGN.md "Memory"). The right side is the build side:
 * when it fits, it is indexed in memory and the left side streams through it. When it does
 * not, both sides are hash-partitioned by key into P spill files each (grace hash join) and
 * joined partition by partition; a partition whose build side is still too big is split
 * again with the next hash seed.
 *
 * Output order: in memory, left rows in order (then unmatched right rows for outer joins);
 * after partitioning, partition by partition.
 */
import type { MemoryBudget } from '../../../core/memory/ledger.js';
import { allocValues, batchBytes, type Batch, type Column, type DType, type Schema } from '../../../core/types.js';
import { addDirFigures, emptySpillMetrics, type SpillDirFactory, type SpillMetrics } from '../../../io/spill/factory.js';
import type { SpillDir } from '../../../io/spill/spill-dir.js';
import type { SpillFile } from '../../../io/spill/spill-file.js';
import { concatBatches } from '../../column/take.js';
import { plainBatch } from '../../column/dict.js';
import { joinBatches } from './assemble.js';
import { buildJoinTable, probe, unmatched, type JoinHow, type JoinPairs } from './join-table.js';
import { keyColumns, partitionSeed } from './key-hash.js';
import { partitionIds, splitByPartition, type NullKeys } from './partition.js';

/**
 * Options of {@link graceJoin}.
 * @example { on: ['id'], how: 'left', memory: ledger.account('join', { budget: 64 << 20 }), spillDir: spillDirFactory(os.tmpdir()) }
 */
export interface GraceJoinOptions {
  /** key columns, same names on both sides */
  on: string[];
  how?: JoinHow;
  /** for clashing right-side names, default '_right' */
  suffix?: string;
  /** the operator's memory account; its `limit` bounds the in-memory build side */
  memory: MemoryBudget;
  /** opens the spill directory when the build side does not fit; removed when the join ends */
  spillDir: SpillDirFactory;
  /** hash partitions per split, default 16 */
  partitions?: number;
  /** how many times a partition may be split again, default 4 */
  maxDepth?: number;
  /** rows per output batch at most, default 65536 */
  batchRows?: number;
  /**
   * column types of each side, for a side that turns out empty (without them, an empty left
   * side contributes only the key columns, typed as on the right)
   */
  leftSchema?: Schema;
  rightSchema?: Schema;
  /** filled in as the join runs */
  metrics?: SpillMetrics;
}

/** Bytes of the group table per build row (slots at load 1/4-1/2, key records and a copy of the key bytes, row lists, matched flag). */
const TABLE_BYTES_PER_ROW = 64;

interface Ctx {
  on: string[];
  how: JoinHow;
  suffix: string;
  mem: MemoryBudget;
  parts: number;
  maxDepth: number;
  batchRows: number;
  metrics: SpillMetrics;
  /** empty batches carrying each side's columns */
  left: Batch;
  right: Batch;
  dir?: SpillDir;
}

/** Memory an in-memory build of `bytes` in `rows` rows needs: the concatenated copy and the table. */
const buildCost = (bytes: number, rows: number): number => 2 * bytes + TABLE_BYTES_PER_ROW * rows;

/**
 * Joins `left` (probe side, streamed) with `right` (build side) on `opts.on`, with SQL
 * inner/left/outer semantics (see {@link probe}); spills to a grace hash join when the right
 * side exceeds the memory budget. Output columns as {@link joinBatches}.
 * @example
 * for await (const b of graceJoin(leftBatches, rightBatches, { on: ['id'], how: 'left',
 *   memory: ledger.account('join', { budget: 64 << 20 }), spillDir: spillDirFactory(os.tmpdir()) })) emit(b);
 */
export async function* graceJoin(left: AsyncIterable<Batch>, right: AsyncIterable<Batch>, opts: GraceJoinOptions): AsyncGenerator<Batch> {
  const ctx: Ctx = {
    on: opts.on, how: opts.how ?? 'inner', suffix: opts.suffix ?? '_right', mem: opts.memory,
    parts: opts.partitions ?? 16, maxDepth: opts.maxDepth ?? 4, batchRows: opts.batchRows ?? 65536,
    metrics: opts.metrics ?? emptySpillMetrics(),
    left: emptyOf(opts.leftSchema), right: emptyOf(opts.rightSchema),
  };
  let held = 0, yielded = false;
  const rightIt = right[Symbol.asyncIterator]();
  try {
    const buffered: Batch[] = [];
    let bytes = 0, rows = 0, spill = false;
    for (let r = await rightIt.next(); !r.done; r = await rightIt.next()) {
      const b = plainBatch(r.value);
      noteSchema(ctx, 'right', b);
      if (b.length === 0) continue;
      const more = buildCost(bytes + batchBytes(b), rows + b.length) - held;
      if (!ctx.mem.tryReserve(more)) { buffered.push(b); spill = true; break; }
      held += more; bytes += batchBytes(b); rows += b.length;
      buffered.push(b);
    }
    if (!spill) {
      const build = concatOr(buffered, ctx.right);
      buffered.length = 0;
      for await (const out of inMemory(ctx, build, left)) { yielded ||= out.length > 0; yield out; }
    } else {
      ctx.dir = await opts.spillDir();
      const rightFiles = await partitionInto(ctx, prepend(buffered, rightIt), 'right', 0, nullMode(ctx.how, 'right'));
      buffered.length = 0;
      ctx.mem.release(held); held = 0;
      const leftFiles = await partitionInto(ctx, left, 'left', 0, nullMode(ctx.how, 'left'));
      for (let p = 0; p < ctx.parts; p++) {
        for await (const out of joinPartition(ctx, leftFiles[p], rightFiles[p], 0)) { yielded ||= out.length > 0; yield out; }
      }
    }
    keysFromRight(ctx);
    if (!yielded) yield joinBatches(ctx.left, ctx.right, { probe: new Int32Array(0), build: new Int32Array(0), length: 0 }, { on: ctx.on, how: ctx.how, suffix: ctx.suffix });
  } finally {
    if (held > 0) ctx.mem.release(held);
    // an early exit leaves the right source half read: let it release what it holds
    try { await rightIt.return?.(); } catch { /* the join's own outcome is what to report */ }
    addDirFigures(ctx.metrics, ctx.dir);
    ctx.metrics.peakBytes = Math.max(ctx.metrics.peakBytes, ctx.mem.peak);
    await ctx.dir?.cleanup();
  }
}

/** Streams `left` through a table over `build`, then (outer) the build rows nothing matched. */
async function* inMemory(ctx: Ctx, build: Batch, left: AsyncIterable<Batch>): AsyncGenerator<Batch> {
  // an empty build side may not even have columns to index (its schema unknown)
  const table = build.length > 0 ? buildJoinTable(build, ctx.on) : undefined;
  for await (const raw of left) {
    const b = plainBatch(raw);
    noteSchema(ctx, 'left', b);
    // an inner join with nothing to match needs no more of the left side than its columns
    if (!table && ctx.how === 'inner') break;
    if (b.length === 0) continue;
    yield* chunks(ctx, b, build, table ? probe(table, b, ctx.on, ctx.how) : allUnmatched(b.length));
  }
  if (table && ctx.how === 'outer') { keysFromRight(ctx); yield* chunks(ctx, ctx.left, build, unmatched(table)); }
}

/** Joins one partition pair, splitting it again when its build side does not fit. */
async function* joinPartition(ctx: Ctx, lf: SpillFile | undefined, rf: SpillFile | undefined, level: number): AsyncGenerator<Batch> {
  if (!rf || rf.rows === 0) {
    // nothing to match: left/outer keep the left rows with nulls on the right
    if (lf && ctx.how !== 'inner') for await (const b of lf.read()) yield* chunks(ctx, b, ctx.right, allUnmatched(b.length));
    await lf?.remove();
    return;
  }
  if ((!lf || lf.rows === 0) && ctx.how !== 'outer') { await rf.remove(); await lf?.remove(); return; }
  const cost = buildCost(rf.memoryBytes, rf.rows);
  if (!ctx.mem.tryReserve(cost)) {
    if (level < ctx.maxDepth) {
      ctx.metrics.repartitions++;
      const rights = await partitionInto(ctx, rf.read(), 'right', level + 1, 'spread');
      const lefts = lf ? await partitionInto(ctx, lf.read(), 'left', level + 1, 'spread') : [];
      await rf.remove(); await lf?.remove();
      for (let p = 0; p < ctx.parts; p++) yield* joinPartition(ctx, lefts[p], rights[p], level + 1);
      return;
    }
    // the keys will not split further (one huge key): hold it if the ledger can, or fail with the figures
    ctx.mem.reserve(cost, `join build partition (${rf.rows} rows, split ${level} times)`);
  }
  try {
    const parts: Batch[] = [];
    for await (const b of rf.read()) parts.push(b);
    await rf.remove();
    const build = concatOr(parts, ctx.right);
    parts.length = 0;
    yield* inMemory(ctx, build, lf ? lf.read() : empty());
    await lf?.remove();
  } finally {
    ctx.mem.release(cost);
  }
}

/** Appends every batch of `src` to P partition files of one side; files with no rows stay unopened. */
async function partitionInto(ctx: Ctx, src: AsyncIterable<Batch>, side: 'left' | 'right', level: number, nulls: NullKeys): Promise<(SpillFile | undefined)[]> {
  const files: (SpillFile | undefined)[] = new Array(ctx.parts).fill(undefined);
  ctx.metrics.partitions += ctx.parts;
  let seen = 0;
  for await (const raw of src) {
    const b = plainBatch(raw);
    noteSchema(ctx, side, b);
    if (b.length === 0) continue;
    const pids = partitionIds(keyColumns(b, ctx.on, 'join key'), b.length, ctx.parts, partitionSeed(level), nulls, seen);
    seen += b.length;
    const pieces = splitByPartition(b, pids, ctx.parts);
    await Promise.all(pieces.map((piece, p) => (piece ? (files[p] ??= ctx.dir!.file(`join-${side}-l${level}-p${p}`)).append(piece) : undefined)));
  }
  await Promise.all(files.map((f) => f?.finish()));
  return files;
}

/** Rows with a null key never match: an inner join drops them, the kept side spreads them. */
function nullMode(how: JoinHow, side: 'left' | 'right'): NullKeys {
  if (how === 'outer') return 'spread';
  return side === 'left' && how === 'left' ? 'spread' : 'drop';
}

function* chunks(ctx: Ctx, probeBatch: Batch, build: Batch, pairs: JoinPairs): Generator<Batch> {
  const opts = { on: ctx.on, how: ctx.how, suffix: ctx.suffix };
  for (let s = 0; s < pairs.length; s += ctx.batchRows) {
    const e = Math.min(pairs.length, s + ctx.batchRows);
    yield joinBatches(probeBatch, build, { probe: pairs.probe.subarray(s, e), build: pairs.build.subarray(s, e), length: e - s }, opts);
  }
}

const allUnmatched = (n: number): JoinPairs => ({ probe: Int32Array.from({ length: n }, (_, i) => i), build: new Int32Array(n).fill(-1), length: n });

/** Remembers a side's columns (as an empty batch) from the first batch seen. */
function noteSchema(ctx: Ctx, side: 'left' | 'right', b: Batch): void {
  if (Object.keys(ctx[side].columns).length > 0) return;
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(b.columns)) columns[k] = emptyColumn(c.type);
  ctx[side] = { length: 0, columns };
}

/** A left side never seen and not described still has the key columns, typed as on the right. */
function keysFromRight(ctx: Ctx): void {
  if (ctx.on.every((k) => k in ctx.left.columns)) return;
  const columns = { ...ctx.left.columns };
  for (const k of ctx.on) if (!(k in columns) && ctx.right.columns[k]) columns[k] = emptyColumn(ctx.right.columns[k].type);
  ctx.left = { length: 0, columns };
}

function emptyOf(schema: Schema | undefined): Batch {
  const columns: Record<string, Column> = {};
  for (const [k, t] of Object.entries(schema ?? {})) columns[k] = emptyColumn(t);
  return { length: 0, columns };
}

function emptyColumn(type: DType): Column {
  return type === 'utf8'
    ? { type, length: 0, values: new Uint8Array(0), offsets: new Int32Array(1), nullCount: 0 }
    : { type, length: 0, values: allocValues(type, 0), nullCount: 0 };
}

function concatOr(parts: Batch[], emptyBatch: Batch): Batch {
  return parts.length === 0 ? emptyBatch : concatBatches(parts);
}

async function* prepend(first: Batch[], rest: AsyncIterator<Batch>): AsyncGenerator<Batch> {
  yield* first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

async function* empty(): AsyncGenerator<Batch> { /* no batches */ }
