/** Evaluates an array expression over one box: the per-chunk work of every array task. */
import { PlanError } from '../../../core/errors.js';
import { readNpyBox } from '../../../io/npy/read.js';
import { boxKey, boxShape, forEachRun, permute, readRegion, sizeOf, writeRegion, type Box, type Region } from './box.js';
import { broadcastSourceBox, expand } from './broadcast.js';
import { fuse, isElementwise } from './fuse.js';
import { fillRandom } from './philox.js';
import type { ANode, ScanNode } from './plan.js';
import { readReshaped } from './reshape.js';
import { scanInPlace } from './scan.js';

type Value = Float64Array | number;

/**
 * Per-task cache, so a node with several parents (a DAG) is computed once per box; nodes with
 * one parent are not kept, which lets their consumer reuse the buffer in place.
 * @example const memo: Memo = memoFor(node);
 */
export interface Memo { values: Map<ANode, Map<string, Value>>; shared: Set<ANode>; kept: WeakSet<Float64Array> }

/**
 * A fresh cache for evaluating `root`'s tree.
 * @example evaluate(node, box, memoFor(node))
 */
export function memoFor(root: ANode): Memo {
  const seen = new Set<ANode>();
  const shared = new Set<ANode>();
  const walk = (n: ANode): void => {
    if (seen.has(n)) { shared.add(n); return; }
    seen.add(n);
    for (const c of children(n)) walk(c);
  };
  walk(root);
  return { values: new Map(), shared, kept: new WeakSet() };
}

/**
 * Direct inputs of a node.
 * @example children({ op: 'unary', fn: 'exp', shape: [2], x }) // [x]
 */
export function children(n: ANode): ANode[] {
  switch (n.op) {
    case 'unary': case 'slice': case 'transpose': case 'scan': case 'reduce': case 'broadcast': case 'reshape': return [n.x];
    case 'binary': return [n.a, n.b];
    case 'where': return [n.c, n.a, n.b];
    default: return [];
  }
}

/**
 * Values of `node` over `box` (its own coordinates) as a C-order buffer; a 0-d node gives a number.
 * @example
 * const v = evaluate(node, { start: [0, 0], stop: [2, 3] }); // Float64Array(6)
 */
export function evaluate(node: ANode, box: Box, memo: Memo = memoFor(node)): Value {
  if (node.shape.length === 0) return scalarOf(node, memo);
  if (!memo.shared.has(node)) return compute(node, box, memo);
  const key = boxKey(box);
  let m = memo.values.get(node);
  const hit = m?.get(key);
  if (hit !== undefined) return hit;
  const v = compute(node, box, memo);
  if (!m) memo.values.set(node, (m = new Map()));
  m.set(key, v);
  if (typeof v !== 'number') memo.kept.add(v);
  return v;
}

/**
 * Like {@link evaluate}, always as a buffer (0-d values are broadcast over the box).
 * @example evaluateBuffer(node, { start: [0], stop: [4] }) // Float64Array(4)
 */
export function evaluateBuffer(node: ANode, box: Box, memo: Memo = memoFor(node)): Float64Array {
  const v = evaluate(node, box, memo);
  return typeof v === 'number' ? new Float64Array(sizeOf(boxShape(box))).fill(v) : v;
}

function scalarOf(node: ANode, memo: Memo): number {
  switch (node.op) {
    case 'full': return node.value;
    case 'data': return node.region.data[0];
    case 'random': case 'arange': case 'npy': case 'reduce': case 'slice': case 'transpose': case 'scan': case 'reshape': {
      const v = compute(node, { start: [], stop: [] }, memo);
      return typeof v === 'number' ? v : v[0];
    }
    default: {
      const out = new Float64Array(1);
      runFused(node, { start: [], stop: [] }, memo, out);
      return out[0];
    }
  }
}

/** Elements per strip when a fused loop generates its leaves strip by strip (stays in L2). */
const STRIP = 16384;

/** Leaves computed from their index alone: cheap to produce over any box, so worth strip-mining. */
const isGenerator = (n: ANode): boolean => n.op === 'random' || n.op === 'arange';

/**
 * Strip buffers of generated leaves, reused across calls in this thread: a fused loop over
 * generated leaves never nests another one while its strips are in use, so one set suffices.
 */
const pool: Float64Array[] = [];

function scratch(k: number, len: number): Float64Array {
  if (len > 4 * STRIP) return new Float64Array(len);
  if (!pool[k] || pool[k].length < len) pool[k] = new Float64Array(Math.max(len, STRIP));
  return pool[k].subarray(0, len);
}

function runFused(node: ANode, box: Box, memo: Memo, out: Float64Array): void {
  const f = fuse(node);
  const consts = f.scalars.map((s) => (s.op === 'full' ? s.value : scalarOf(s, memo)));
  if (f.leaves.length === 0 || box.start.length === 0 || !f.leaves.every(isGenerator)) {
    const leaves = f.leaves.map((l) => evaluateBuffer(l, box, memo));
    f.kernel(out, out.length, leaves, consts);
    return;
  }
  // generated leaves never exist at chunk size: each strip of rows is generated and consumed
  // while it is in cache, which saves the chunk-sized temporaries and their memory traffic
  const row = sizeOf(boxShape(box).slice(1));
  const h = Math.max(1, Math.floor(STRIP / Math.max(1, row)));
  for (let r = box.start[0]; r < box.stop[0]; r += h) {
    const strip: Box = { start: [r, ...box.start.slice(1)], stop: [Math.min(r + h, box.stop[0]), ...box.stop.slice(1)] };
    const len = (strip.stop[0] - r) * row;
    const leaves = f.leaves.map((l, k) => generate(l, strip, scratch(k, len)));
    const off = (r - box.start[0]) * row;
    f.kernel(out.subarray(off, off + len), len, leaves, consts);
  }
}

/**
 * Like {@link evaluateBuffer}, writing into `out` (sized for `box`) when `node` is an
 * elementwise tree, so a caller going strip by strip can reuse one buffer.
 * @example const v = evaluateInto(node, strip, memo, buf);
 */
export function evaluateInto(node: ANode, box: Box, memo: Memo, out: Float64Array): Float64Array {
  if (!isElementwise(node) || node.shape.length === 0) return evaluateBuffer(node, box, memo);
  runFused(node, box, memo, out);
  return out;
}

/** Values of a random or arange node over `box`, written into `out`. */
function generate(node: ANode, box: Box, out: Float64Array): Float64Array {
  if (node.op === 'random') forEachRun(node.shape, box, (flat, off, len) => fillRandom(out, off, len, flat, node.seed, node.dist));
  else forEachRun(node.shape, box, (flat, off, len) => { for (let i = 0; i < len; i++) out[off + i] = flat + i; });
  return out;
}

function compute(node: ANode, box: Box, memo: Memo): Value {
  const n = sizeOf(boxShape(box));
  if (isElementwise(node)) {
    const out = new Float64Array(n);
    runFused(node, box, memo, out);
    return out;
  }
  switch (node.op) {
    case 'full': return new Float64Array(n).fill(node.value);
    case 'random': case 'arange': return generate(node, box, new Float64Array(n));
    case 'data': return readRegion(node.region, box);
    case 'npy': return readNpyBox(node.path, node, box);
    case 'slice': return evaluate(node.x, { start: box.start.map((s, d) => s + node.start[d]), stop: box.stop.map((s, d) => s + node.start[d]) }, memo);
    case 'transpose': {
      const inv = invertAxes(node.axes);
      const child: Box = { start: inv.map((a) => box.start[a]), stop: inv.map((a) => box.stop[a]) };
      const v = evaluateBuffer(node.x, child, memo);
      return permute(v, boxShape(child), node.axes);
    }
    case 'broadcast': {
      const from = broadcastSourceBox(node.x.shape, node.shape, box);
      return expand(evaluateBuffer(node.x, from, memo), boxShape(from), boxShape(box));
    }
    case 'reshape': return readReshaped(node.x.shape, node.shape, box, (b) => evaluateBuffer(node.x, b, memo));
    case 'scan': return evalScan(node, box, memo);
    case 'reduce': throw new PlanError('internal: a reduction reached chunk evaluation before being computed');
    case 'column': case 'pending': throw new PlanError(`internal: a ${node.op} node reached chunk evaluation before being read`);
    default: throw new PlanError(`internal: unknown array node ${(node as ANode).op}`);
  }
}

/**
 * `inv[d]` is the output axis holding input axis d.
 * @example invertAxes([2, 0, 1]) // [1, 2, 0]
 */
export const invertAxes = (axes: readonly number[]): number[] => {
  const inv = new Array<number>(axes.length);
  axes.forEach((a, i) => { inv[a] = i; });
  return inv;
};

/**
 * The chunk k along the scan axis holding index `i`.
 * @example chunkAt([0, 10, 20, 25], 12) // 1
 */
export function chunkAt(bounds: readonly number[], i: number): number {
  let lo = 0, hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= i) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/**
 * Carry of chunk k restricted to the other-axes extent of `box`.
 * @example carryFor(scan, 1, { start: [0, 10], stop: [5, 20] }) // the carries of 5 lines
 */
export function carryFor(node: ScanNode, k: number, box: Box): Float64Array {
  if (!node.pre) throw new PlanError('internal: scan carries were not computed before evaluation');
  const ax = node.axis;
  const other = (b: number[]) => b.filter((_, d) => d !== ax);
  return readRegion(node.pre, { start: [k, ...other(box.start)], stop: [k + 1, ...other(box.stop)] });
}

/**
 * A scan over `box`: each scan chunk the box touches is scanned from its own carry and from the
 * chunk's start, so a value is the same whatever box (task, slice, rechunk) it is read through.
 */
function evalScan(node: ScanNode, box: Box, memo: Memo): Float64Array {
  const ax = node.axis;
  const first = chunkAt(node.bounds, box.start[ax]);
  const last = box.stop[ax] > box.start[ax] ? chunkAt(node.bounds, box.stop[ax] - 1) : first;
  if (first === last) return scanChunk(node, first, box, memo);
  const out: Region = { data: new Float64Array(sizeOf(boxShape(box))), origin: box.start, shape: boxShape(box) };
  for (let k = first; k <= last; k++) {
    const seg: Box = {
      start: box.start.map((s, d) => (d === ax ? Math.max(s, node.bounds[k]) : s)),
      stop: box.stop.map((e, d) => (d === ax ? Math.min(e, node.bounds[k + 1]) : e)),
    };
    writeRegion(out, seg, scanChunk(node, k, seg, memo));
  }
  return out.data;
}

/**
 * Whether evaluating `n` over many small boxes costs no more than over one big box: no scan below (a scan restarts at its chunk).
 * @example stripable(ts.array.exp(x).node) // true; stripable(x.cumsum().node) // false
 */
export function stripable(n: ANode): boolean {
  return n.op !== 'scan' && children(n).every(stripable);
}

/** The part `box` of scan chunk k (the box lies within that chunk along the axis). */
function scanChunk(node: ScanNode, k: number, box: Box, memo: Memo): Float64Array {
  const ax = node.axis;
  const from = node.bounds[k];
  const xbox: Box = { start: box.start.map((s, d) => (d === ax ? from : s)), stop: box.stop };
  // reading the end of a chunk (a last column) scans the whole chunk: do it a few lines at a
  // time along another axis, keeping only what the box asks for
  const across = ax === 0 ? 1 : 0;
  if (from < box.start[ax] && across < box.start.length && stripable(node.x)) return scanByStrips(node, k, box, xbox, across);
  const buf = evaluateBuffer(node.x, xbox, memo);
  // a buffer kept for other parents must not change: scan a copy
  const own = memo.kept.has(buf) ? buf.slice() : buf;
  const shape = boxShape(xbox);
  scanInPlace(own, shape, ax, node.fn, carryFor(node, k, box));
  if (from === box.start[ax]) return own;
  return readRegion({ data: own, origin: xbox.start, shape }, box);
}

function scanByStrips(node: ScanNode, k: number, box: Box, xbox: Box, across: number): Float64Array {
  const out: Region = { data: new Float64Array(sizeOf(boxShape(box))), origin: box.start, shape: boxShape(box) };
  const ext = boxShape(xbox);
  const h = Math.max(1, Math.floor(STRIP / Math.max(1, sizeOf(ext) / Math.max(1, ext[across]))));
  const memo = memoFor(node.x);
  for (let r = xbox.start[across]; r < xbox.stop[across]; r += h) {
    const cut = (b: Box): Box => ({ start: b.start.map((s, d) => (d === across ? r : s)), stop: b.stop.map((e, d) => (d === across ? Math.min(r + h, e) : e)) });
    const sx = cut(xbox);
    memo.values.clear();
    const buf = evaluateBuffer(node.x, sx, memo);
    scanInPlace(buf, boxShape(sx), node.axis, node.fn, carryFor(node, k, sx));
    const want = cut(box);
    writeRegion(out, want, readRegion({ data: buf, origin: sx.start, shape: boxShape(sx) }, want));
  }
  return out.data;
}
