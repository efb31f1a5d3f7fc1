/** The final pass: every output chunk evaluated once (after reductions and scan carries are ready) and gathered or written. */
import { NpyWriter } from '../../io/npy/write.js';
import { sizeOf, writeRegion, type Region } from '../../ops/kernels/array/box.js';
import type { ArrayTask } from '../../ops/kernels/array/task.js';
import { chunkBoxes } from './chunks.js';
import type { LazyArray } from './lazy-array.js';
import { resolve } from './resolve.js';
import { runArrayTasks, settingsFor, type ArrayRunOptions } from './run.js';

/** A computed array: values in C order and the shape. */
export interface ComputedArray { data: Float64Array; shape: number[] }

/** Runs `a`, handing each output chunk (box and values) to `sink`. */
async function eachChunk(a: LazyArray, opts: ArrayRunOptions | undefined, sink: (box: { start: number[]; stop: number[] }, v: Float64Array) => void): Promise<void> {
  const s = settingsFor(opts);
  const node = await resolve(a.node, s);
  const boxes = [...chunkBoxes(a.chunks)];
  const tasks = function* (): Generator<ArrayTask> { for (const { box } of boxes) yield { kind: 'chunk', node, box }; };
  await runArrayTasks(tasks(), s, (i, r) => { if (r.kind === 'chunk') sink(boxes[i].box, r.data); });
}

/**
 * Computes every value of `a`.
 * @example const { data, shape } = await computeArray(a, { scheduler: 'sync' });
 */
export async function computeArray(a: LazyArray, opts?: ArrayRunOptions): Promise<ComputedArray> {
  const shape = a.shape;
  const out: Region = { data: new Float64Array(sizeOf(shape)), origin: shape.map(() => 0), shape };
  await eachChunk(a, opts, (box, v) => writeRegion(out, box, v));
  return { data: out.data, shape };
}

/**
 * Writes `a` to a .npy file without holding more than the chunks in flight.
 * @example await writeNpy(a, 'out.npy');
 */
export async function writeNpy(a: LazyArray, path: string, opts?: ArrayRunOptions): Promise<void> {
  const w = NpyWriter.create(path, a.shape);
  try {
    await eachChunk(a, opts, (box, v) => w.writeBox(box, v));
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}
