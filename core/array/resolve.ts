/**
 * Pipeline breakers of array expressions. Before the final pass over output chunks, every
 * reduction is computed (tree-merged partials, replaced by a small `data` node) and every scan
 * gets its carries: `blelloch` computes chunk totals in one parallel pass and takes their
 * exclusive prefixes; `sequential` scans the chunks of each position along the axis in order,
 * each wave starting from the carries of the last.
 */
import { readRegion, sizeOf, writeRegion, type Box, type Region } from '../../ops/kernels/array/box.js';
import { blellochExclusive } from '../../ops/kernels/array/blelloch.js';
import { dropAxis, scanIdentity, type ANode, type ReduceNode, type ScanNode } from '../../ops/kernels/array/plan.js';
import { finalize, treeMerge, type Partial } from '../../ops/kernels/array/reduce.js';
import type { ArrayTask } from '../../ops/kernels/array/task.js';
import type { Settings } from '../config.js';
import { chunkBoxes } from './chunks.js';
import { runArrayTasks } from './run.js';

const without = (xs: number[], axis: number) => xs.filter((_, d) => d !== axis);

/**
 * `node` with every reduction and scan below it made ready for chunk evaluation.
 * @example
 * const ready = await resolve(node, settingsFor({ scheduler: 'sync' }));
 */
export async function resolve(node: ANode, s: Settings, done = new Map<ANode, Promise<ANode>>()): Promise<ANode> {
  let p = done.get(node);
  if (!p) {
    p = resolveOnce(node, s, done);
    done.set(node, p);
  }
  return p;
}

async function resolveOnce(n: ANode, s: Settings, done: Map<ANode, Promise<ANode>>): Promise<ANode> {
  const r = (c: ANode) => resolve(c, s, done);
  switch (n.op) {
    case 'reduce': return reduce({ ...n, x: await r(n.x) }, s);
    case 'scan': return n.pre ? n : carries({ ...n, x: await r(n.x) }, s);
    case 'unary': case 'slice': case 'transpose': { const x = await r(n.x); return x === n.x ? n : { ...n, x } as ANode; }
    case 'binary': { const [a, b] = [await r(n.a), await r(n.b)]; return a === n.a && b === n.b ? n : { ...n, a, b }; }
    case 'where': { const [c, a, b] = [await r(n.c), await r(n.a), await r(n.b)]; return c === n.c && a === n.a && b === n.b ? n : { ...n, c, a, b }; }
    default: return n;
  }
}

async function reduce(n: ReduceNode, s: Settings): Promise<ANode> {
  const { fn, axis } = n;
  const groups = new Map<string, { box: Box; parts: Partial[]; left: number }>();
  const perGroup = axis === null ? n.chunks.reduce((a, c) => a * c.length, 1) : n.chunks[axis].length;
  const outShape = axis === null ? [] : dropAxis(n.x.shape, axis);
  const out: Region = { data: new Float64Array(sizeOf(outShape)), origin: outShape.map(() => 0), shape: outShape };
  const meta: { key: string; pos: number; box: Box }[] = [];
  const tasks = function* (): Generator<ArrayTask> {
    let i = 0;
    for (const { index, box } of chunkBoxes(n.chunks)) {
      const key = axis === null ? '' : without(index, axis).join(',');
      meta[i++] = { key, pos: axis === null ? i - 1 : index[axis], box: axis === null ? { start: [], stop: [] } : { start: without(box.start, axis), stop: without(box.stop, axis) } };
      yield { kind: 'reduce', node: n.x, box, fn, axis };
    }
  };
  await runArrayTasks(tasks(), s, (i, res) => {
    if (res.kind !== 'reduce') return;
    const m = meta[i];
    let g = groups.get(m.key);
    if (!g) groups.set(m.key, (g = { box: m.box, parts: new Array(perGroup), left: perGroup }));
    g.parts[m.pos] = res.partial;
    if (--g.left === 0) {
      writeRegion(out, g.box, finalize(treeMerge(g.parts, fn), fn));
      groups.delete(m.key);
    }
  });
  if (sizeOf(n.x.shape) === 0) out.data.fill(fn === 'sum' ? 0 : NaN);
  return { op: 'data', shape: outShape, region: out };
}

async function carries(n: ScanNode, s: Settings): Promise<ScanNode> {
  const ax = n.axis;
  const other = dropAxis(n.shape, ax);
  const k = n.chunks[ax].length;
  const pre: Region = { data: new Float64Array(k * sizeOf(other)).fill(scanIdentity(n.fn)), origin: [0, ...other.map(() => 0)], shape: [k, ...other] };
  const slabBox = (kk: number, box: Box): Box => ({ start: [kk, ...without(box.start, ax)], stop: [kk + 1, ...without(box.stop, ax)] });
  const identity = (box: Box) => new Float64Array(sizeOf(without(box.stop.map((e, d) => e - box.start[d]), ax))).fill(scanIdentity(n.fn));
  const all = [...chunkBoxes(n.chunks)];
  if (n.method === 'blelloch') {
    const totals: Region = { ...pre, data: new Float64Array(pre.data.length) };
    const tasks = all.map(({ box }): ArrayTask => ({ kind: 'scan', node: n.x, box, fn: n.fn, axis: ax, carry: identity(box), keep: false }));
    await runArrayTasks(tasks, s, (i, res) => {
      if (res.kind === 'scan') writeRegion(totals, slabBox(all[i].index[ax], all[i].box), res.carry);
    });
    const m = sizeOf(other);
    const slabs = Array.from({ length: k }, (_, kk) => totals.data.subarray(kk * m, (kk + 1) * m));
    blellochExclusive(slabs, n.fn).forEach((p, kk) => pre.data.set(p, kk * m));
  } else {
    for (let kk = 0; kk < k - 1; kk++) {
      const wave = all.filter((c) => c.index[ax] === kk);
      const tasks = wave.map(({ box }): ArrayTask => ({ kind: 'scan', node: n.x, box, fn: n.fn, axis: ax, carry: readRegion(pre, slabBox(kk, box)), keep: false }));
      await runArrayTasks(tasks, s, (i, res) => {
        if (res.kind === 'scan') writeRegion(pre, slabBox(kk + 1, wave[i].box), res.carry);
      });
    }
  }
  return { ...n, pre };
}

