/**
 * Cuts in-memory data down to what one task reads before it is sent to a worker: a `data` node
 * keeps only the bounding box of the boxes the task asks of it, a scan only the carries of the
 * chunks and lines it touches. Everything else in the tree is small and travels as is.
 */
import { boxKey, boxShape, readRegion, unionBox, type Box, type Region } from '../../ops/kernels/array/box.js';
import { chunkAt, children, invertAxes } from '../../ops/kernels/array/evaluate.js';
import { broadcastSourceBox } from '../../ops/kernels/array/broadcast.js';
import type { ANode } from '../../ops/kernels/array/plan.js';
import { reshapeReads } from '../../ops/kernels/array/reshape.js';

/** Box asked of each child when `node` is evaluated over `box`. */
function childBoxes(node: ANode, box: Box): [ANode, Box][] {
  switch (node.op) {
    case 'slice': return [[node.x, { start: box.start.map((s, d) => s + node.start[d]), stop: box.stop.map((s, d) => s + node.start[d]) }]];
    case 'transpose': {
      const inv = invertAxes(node.axes);
      return [[node.x, { start: inv.map((a) => box.start[a]), stop: inv.map((a) => box.stop[a]) }]];
    }
    case 'scan': {
      const from = node.bounds[chunkAt(node.bounds, box.start[node.axis])];
      return [[node.x, { start: box.start.map((s, d) => (d === node.axis ? from : s)), stop: box.stop }]];
    }
    case 'broadcast': return [[node.x, broadcastSourceBox(node.x.shape, node.shape, box)]];
    case 'reshape': return reshapeReads(node.x.shape, node.shape, box).pieces.map((p) => [node.x, p.box]);
    default: return children(node).map((c) => [c, c.shape.length === 0 ? { start: [], stop: [] } : box]);
  }
}

/** Carries box (over `[K, ...other axes]`) needed by a scan evaluated over `box`: every chunk the box touches. */
function carryBox(node: Extract<ANode, { op: 'scan' }>, box: Box): Box {
  const first = chunkAt(node.bounds, box.start[node.axis]);
  const last = box.stop[node.axis] > box.start[node.axis] ? chunkAt(node.bounds, box.stop[node.axis] - 1) : first;
  const other = (b: number[]) => b.filter((_, d) => d !== node.axis);
  return { start: [first, ...other(box.start)], stop: [last + 1, ...other(box.stop)] };
}

/**
 * A copy of `root`'s tree holding only the in-memory values a task over `box` reads.
 * @example
 * const shipped = localize(node, { start: [0, 0], stop: [100, 100] });
 */
export function localize(root: ANode, box: Box): ANode {
  const needs = new Map<ANode, Box>();
  const seen = new Set<string>();
  const ids = new Map<ANode, number>();
  const walk = (n: ANode, b: Box): void => {
    if (!ids.has(n)) ids.set(n, ids.size);
    const key = `${ids.get(n)}:${boxKey(b)}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (n.op === 'data' || n.op === 'scan') {
      const want = n.op === 'data' ? b : carryBox(n, b);
      const had = needs.get(n);
      needs.set(n, had ? unionBox(had, want) : want);
    }
    for (const [c, cb] of childBoxes(n, b)) walk(c, cb);
  };
  walk(root, box);
  const cut = (r: Region, b: Box): Region => ({ data: readRegion(r, b), origin: b.start, shape: boxShape(b) });
  const done = new Map<ANode, ANode>();
  const rebuild = (n: ANode): ANode => {
    const had = done.get(n);
    if (had) return had;
    let out: ANode;
    switch (n.op) {
      case 'data': out = { ...n, region: cut(n.region, needs.get(n)!) }; break;
      case 'scan': out = { ...n, x: rebuild(n.x), pre: n.pre && cut(n.pre, needs.get(n)!) }; break;
      case 'unary': case 'slice': case 'transpose': case 'reduce': case 'broadcast': case 'reshape': out = { ...n, x: rebuild(n.x) } as ANode; break;
      case 'binary': out = { ...n, a: rebuild(n.a), b: rebuild(n.b) }; break;
      case 'where': out = { ...n, c: rebuild(n.c), a: rebuild(n.a), b: rebuild(n.b) }; break;
      default: out = n;
    }
    done.set(n, out);
    return out;
  };
  return rebuild(root);
}
