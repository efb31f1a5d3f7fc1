/** Evaluates an array expression over one box: the per-chunk work of every array task. */
import { PlanError } from '../../../core/errors.js';
import { readNpyBox } from '../../../io/npy/read.js';
import { boxKey, boxShape, forEachRun, permute, readRegion, sizeOf, type Box } from './box.js';
import { fuse, isElementwise } from './fuse.js';
import { fillRandom } from './philox.js';
import type { ANode, ScanNode } from './plan.js';
import { scanInPlace } from './scan.js';

type Value = Float64Array | number;

/**
 * Per-task cache, so a node with several parents (a DAG) is computed once per box; nodes with
 * one parent are not kept, which lets their consumer reuse the buffer in place.
 */
export interface Memo { values: Map<ANode, Map<string, Value>>; shared: Set<ANode>; kept: WeakSet<Float64Array> }

/** A fresh cache for evaluating `root`'s tree. */
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

/** Direct inputs of a node. */
export function children(n: ANode): ANode[] {
  switch (n.op) {
    case 'unary': case 'slice': case 'transpose': case 'scan': case 'reduce': return [n.x];
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

/** Like {@link evaluate}, always as a buffer (0-d values are broadcast over the box). */
export function evaluateBuffer(node: ANode, box: Box, memo: Memo = memoFor(node)): Float64Array {
  const v = evaluate(node, box, memo);
  return typeof v === 'number' ? new Float64Array(sizeOf(boxShape(box))).fill(v) : v;
}

function scalarOf(node: ANode, memo: Memo): number {
  switch (node.op) {
    case 'full': return node.value;
    case 'data': return node.region.data[0];
    case 'random': case 'arange': case 'npy': case 'reduce': case 'slice': case 'transpose': case 'scan': {
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

function runFused(node: ANode, box: Box, memo: Memo, out: Float64Array): void {
  const f = fuse(node);
  const leaves = f.leaves.map((l) => evaluateBuffer(l, box, memo));
  const consts = f.scalars.map((s) => (s.op === 'full' ? s.value : scalarOf(s, memo)));
  f.kernel(out, out.length, leaves, consts);
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
    case 'random': {
      const out = new Float64Array(n);
      forEachRun(node.shape, box, (flat, off, len) => fillRandom(out, off, len, flat, node.seed, node.dist));
      return out;
    }
    case 'arange': {
      const out = new Float64Array(n);
      forEachRun(node.shape, box, (flat, off, len) => { for (let i = 0; i < len; i++) out[off + i] = flat + i; });
      return out;
    }
    case 'data': return readRegion(node.region, box);
    case 'npy': return readNpyBox(node.path, node, box);
    case 'slice': return evaluate(node.x, { start: box.start.map((s, d) => s + node.start[d]), stop: box.stop.map((s, d) => s + node.start[d]) }, memo);
    case 'transpose': {
      const inv = invertAxes(node.axes);
      const child: Box = { start: inv.map((a) => box.start[a]), stop: inv.map((a) => box.stop[a]) };
      const v = evaluateBuffer(node.x, child, memo);
      return permute(v, boxShape(child), node.axes);
    }
    case 'scan': return evalScan(node, box, memo);
    case 'reduce': throw new PlanError('internal: a reduction reached chunk evaluation before being computed');
    default: throw new PlanError(`internal: unknown array node ${(node as ANode).op}`);
  }
}

/** `inv[d]` is the output axis holding input axis d. */
export const invertAxes = (axes: readonly number[]): number[] => {
  const inv = new Array<number>(axes.length);
  axes.forEach((a, i) => { inv[a] = i; });
  return inv;
};

/** The chunk k along the scan axis holding index `i`. */
export function chunkAt(bounds: readonly number[], i: number): number {
  let lo = 0, hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= i) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Carry of chunk k restricted to the other-axes extent of `box`. */
export function carryFor(node: ScanNode, k: number, box: Box): Float64Array {
  if (!node.pre) throw new PlanError('internal: scan carries were not computed before evaluation');
  const ax = node.axis;
  const other = (b: number[]) => b.filter((_, d) => d !== ax);
  return readRegion(node.pre, { start: [k, ...other(box.start)], stop: [k + 1, ...other(box.stop)] });
}

function evalScan(node: ScanNode, box: Box, memo: Memo): Float64Array {
  const ax = node.axis;
  const k = chunkAt(node.bounds, box.start[ax]);
  const from = node.bounds[k];
  const xbox: Box = { start: box.start.map((s, d) => (d === ax ? from : s)), stop: box.stop };
  const buf = evaluateBuffer(node.x, xbox, memo);
  // a buffer kept for other parents must not change: scan a copy
  const own = memo.kept.has(buf) ? buf.slice() : buf;
  const shape = boxShape(xbox);
  scanInPlace(own, shape, ax, node.fn, carryFor(node, k, box));
  if (from === box.start[ax]) return own;
  return readRegion({ data: own, origin: xbox.start, shape }, box);
}
