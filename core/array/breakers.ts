/**
 * Pipeline breakers of array expressions, as accumulators over the chunk results of one pass:
 * a reduction tree-merges its partials per output line (replaced by a small `data` node), a
 * Blelloch scan collects chunk totals and takes their exclusive prefixes as carries. Both only
 * need each chunk once and in any order, so several of them over the same array share a pass.
 * A sequential scan instead walks the chunks along its axis in waves, each starting from the
 * carries of the last.
 */
import { readRegion, sizeOf, writeRegion, type Box, type Region } from '../../ops/kernels/array/box.js';
import { blellochExclusive } from '../../ops/kernels/array/blelloch.js';
import { dropAxis, scanIdentity, type ANode, type ReduceNode, type ScanNode } from '../../ops/kernels/array/plan.js';
import { finalize, treeMerge, type Partial } from '../../ops/kernels/array/reduce.js';
import type { ArrayTask, PartResult, TaskPart } from '../../ops/kernels/array/task.js';
import type { Settings } from '../config.js';
import { chunkBoxes } from './chunks.js';
import { runArrayTasks } from './run.js';

const without = (xs: readonly number[], axis: number) => xs.filter((_, d) => d !== axis);

/**
 * A breaker fed one chunk result at a time; `finish` gives the node that replaces it.
 * @example const acc = reduceAccumulator(node); acc.add(index, box, result); const ready = acc.finish();
 */
export interface Accumulator {
  /** The work each chunk task does for this breaker. */
  part(box: Box): TaskPart;
  add(index: number[], box: Box, r: PartResult): void;
  finish(): ANode;
}

/**
 * Reduction: partials grouped by output line, merged in a fixed tree once a line is complete.
 * @example const acc = reduceAccumulator(node); // then add() every chunk's partial, finish()
 */
export function reduceAccumulator(n: ReduceNode): Accumulator {
  const { fn, axis } = n;
  const perLine = axis === null ? n.chunks.reduce((a, c) => a * c.length, 1) : n.chunks[axis].length;
  const outShape = axis === null ? [] : dropAxis(n.x.shape, axis);
  const out: Region = { data: new Float64Array(sizeOf(outShape)), origin: outShape.map(() => 0), shape: outShape };
  const groups = new Map<string, { parts: Partial[]; left: number }>();
  // a partial's place in its merge tree is fixed by its chunk, not by when it arrives, so the
  // floating-point result (and arg ties) do not depend on scheduling
  const grid = n.chunks.map((c) => c.length);
  const place = (index: number[]) => (axis === null ? index.reduce((acc, k, d) => acc * grid[d] + k, 0) : index[axis]);
  return {
    part: () => ({ kind: 'reduce', fn, axis }),
    add(index, box, r) {
      if (r.kind !== 'reduce') return;
      const key = axis === null ? '' : without(index, axis).join(',');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { parts: new Array(perLine), left: perLine }));
      g.parts[place(index)] = r.partial;
      if (--g.left > 0) return;
      const lineBox: Box = axis === null ? { start: [], stop: [] } : { start: without(box.start, axis), stop: without(box.stop, axis) };
      writeRegion(out, lineBox, finalize(treeMerge(g.parts, fn), fn));
      groups.delete(key);
    },
    finish() {
      if (sizeOf(n.x.shape) === 0) out.data.fill(fn === 'sum' ? 0 : NaN);
      return { op: 'data', shape: outShape, region: out };
    },
  };
}

/** Carries of a scan: a region over `[K, ...other axes]`, K chunks along the axis, at the identity. */
function carryRegion(n: ScanNode): Region {
  const other = dropAxis(n.shape, n.axis);
  const k = n.chunks[n.axis].length;
  return { data: new Float64Array(k * sizeOf(other)).fill(scanIdentity(n.fn)), origin: [0, ...other.map(() => 0)], shape: [k, ...other] };
}

const slabBox = (n: ScanNode, k: number, box: Box): Box => ({ start: [k, ...without(box.start, n.axis)], stop: [k + 1, ...without(box.stop, n.axis)] });
const identityCarry = (n: ScanNode, box: Box) => new Float64Array(sizeOf(without(box.stop.map((e, d) => e - box.start[d]), n.axis))).fill(scanIdentity(n.fn));

/**
 * Blelloch scan: chunk totals (each chunk scanned from the identity, values not kept), then
 * exclusive prefixes of the totals as each chunk's carry. `n.x` must already be resolved.
 * @example const acc = blellochAccumulator(node);
 */
export function blellochAccumulator(n: ScanNode): Accumulator {
  const totals = carryRegion(n);
  return {
    part: (box) => ({ kind: 'scan', fn: n.fn, axis: n.axis, carry: identityCarry(n, box), keep: false }),
    add(index, box, r) {
      if (r.kind === 'scan') writeRegion(totals, slabBox(n, index[n.axis], box), r.carry);
    },
    finish() {
      const k = n.chunks[n.axis].length, m = totals.data.length / Math.max(1, k);
      const slabs = Array.from({ length: k }, (_, kk) => totals.data.subarray(kk * m, (kk + 1) * m));
      const pre = carryRegion(n);
      blellochExclusive(slabs, n.fn).forEach((p, kk) => pre.data.set(p, kk * m));
      return { ...n, pre };
    },
  };
}

/**
 * Sequential scan: the chunks at position k along the axis run once those at k - 1 have given
 * their carries. `n.x` must already be resolved.
 * @example const ready = await sequentialCarries(node, settings);
 */
export async function sequentialCarries(n: ScanNode, s: Settings): Promise<ScanNode> {
  const pre = carryRegion(n);
  const all = [...chunkBoxes(n.chunks)];
  for (let kk = 0; kk < n.chunks[n.axis].length - 1; kk++) {
    const wave = all.filter((c) => c.index[n.axis] === kk);
    const tasks = wave.map(({ box }): ArrayTask => ({ kind: 'scan', node: n.x, box, fn: n.fn, axis: n.axis, carry: readRegion(pre, slabBox(n, kk, box)), keep: false }));
    await runArrayTasks(tasks, s, (i, res) => {
      if (res.kind === 'scan') writeRegion(pre, slabBox(n, kk + 1, wave[i].box), res.carry);
    });
  }
  return { ...n, pre };
}
