/**
 * The final pass: after columns are read and breakers resolved (for every output together,
 * so outputs sharing an array share its passes), each output chunk is evaluated once and
 * gathered into memory or written to a .npy file.
 */
import { NpyWriter } from '../../io/npy/write.js';
import { readRegion, sizeOf, writeRegion, type Box, type Region } from '../../ops/kernels/array/box.js';
import type { ANode } from '../../ops/kernels/array/plan.js';
import type { ArrayTask } from '../../ops/kernels/array/task.js';
import { chunkBoxes, contiguousChunks, largestChunk } from './chunks.js';
import { readFrameColumn } from './column-read.js';
import { realize } from './deferred.js';
import type { LazyArray } from './lazy-array.js';
import { resolveAll } from './resolve.js';
import { runArrayTasks, settingsFor, type ArrayRunOptions } from './run.js';
import { ArraySession } from './session.js';

/**
 * A computed array: values in C order and the shape.
 * @example const { data, shape }: ComputedArray = await a.compute();
 */
export interface ComputedArray { data: Float64Array; shape: number[] }

/** Runs `body` with a session that is closed (temporary files removed) whatever happens. */
async function withSession<T>(opts: ArrayRunOptions | undefined, body: (s: ArraySession) => Promise<T>): Promise<T> {
  const session = new ArraySession(settingsFor(opts), readFrameColumn);
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** The known arrays behind `arrays` and their ready-to-evaluate nodes. */
async function prepare(arrays: readonly LazyArray[], session: ArraySession): Promise<{ known: LazyArray[]; nodes: ANode[] }> {
  const known = await Promise.all(arrays.map((a) => realize(a, session)));
  return { known, nodes: await resolveAll(known.map((a) => a.node), session) };
}

/** Evaluates `node` over each of `boxes` (in workers), handing each box's values to `sink`. */
async function eachBox(node: ANode, boxes: Box[], session: ArraySession, sink: (box: Box, v: Float64Array) => void): Promise<void> {
  if (node.op === 'data' && node.region.origin.every((o) => o === 0) && node.region.shape.every((d, i) => d === node.shape[i])) {
    // already in memory (a reduction's result, a small column): no task needed
    const whole = (b: Box) => b.start.every((s, d) => s === 0 && b.stop[d] === node.shape[d]);
    for (const box of boxes) sink(box, whole(box) ? node.region.data : readRegion(node.region, box));
    return;
  }
  const tasks = function* (): Generator<ArrayTask> { for (const box of boxes) yield { kind: 'chunk', node, box }; };
  await runArrayTasks(tasks(), session.settings, (i, r) => { if (r.kind === 'chunk') sink(boxes[i], r.data); });
}

/**
 * Computes several arrays together: columns are read once, and breakers over a shared array
 * share its passes (`y.mean({ axis: 0 })` and `y.cumsum({ axis: 1 })` evaluate `y` once for
 * both). Results come in argument order.
 * @example
 * const y = ts.array.exp(x).add(ts.array.sin(x).mul(3));
 * const [m, c] = await computeArrays([y.mean({ axis: 0 }), y.cumsum({ axis: 1 }).sum()], { workers: 2 });
 */
export async function computeArrays(arrays: readonly LazyArray[], opts?: ArrayRunOptions): Promise<ComputedArray[]> {
  return withSession(opts, async (session) => {
    const { known, nodes } = await prepare(arrays, session);
    const out: ComputedArray[] = [];
    for (const [k, a] of known.entries()) {
      const shape = a.shape;
      const region: Region = { data: new Float64Array(sizeOf(shape)), origin: shape.map(() => 0), shape };
      await eachBox(nodes[k], [...chunkBoxes(a.chunks)].map((c) => c.box), session, (box, v) => writeRegion(region, box, v));
      out.push({ data: region.data, shape });
    }
    return out;
  });
}

/**
 * Computes every value of `a`.
 * @example const { data, shape } = await computeArray(a, { scheduler: 'sync' });
 */
export async function computeArray(a: LazyArray, opts?: ArrayRunOptions): Promise<ComputedArray> {
  return (await computeArrays([a], opts))[0];
}

/**
 * Boxes to write a .npy file with: the array's chunks when each is one contiguous run of the
 * file (only the first axis is split), else row bands of about one chunk's size that span the
 * split axes, so each task's values go out in one write and no band outgrows a chunk.
 */
function writeBoxes(a: LazyArray): Box[] {
  const contiguous = a.chunks.every((c, d) => d === 0 || c.length <= 1);
  const chunks = contiguous ? a.chunks : contiguousChunks(a.shape, largestChunk(a.chunks));
  return [...chunkBoxes(chunks)].map((c) => c.box);
}

/**
 * Writes `a` to a .npy file without holding more than the tasks in flight: each task's box is
 * written at its offset as it arrives (temporary file, renamed when complete).
 * @example await writeNpy(a, 'out.npy');
 */
export async function writeNpy(a: LazyArray, path: string, opts?: ArrayRunOptions): Promise<void> {
  await withSession(opts, async (session) => {
    const { known, nodes } = await prepare([a], session);
    const w = NpyWriter.create(path, known[0].shape);
    try {
      await eachBox(nodes[0], writeBoxes(known[0]), session, (box, v) => w.writeBox(box, v));
      w.commit();
    } catch (e) {
      w.abort();
      throw e;
    }
  });
}
