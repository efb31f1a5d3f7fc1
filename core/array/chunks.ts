/** Shapes and chunk grids: validation of user input and iteration over chunk boxes. */
import { PlanError } from '../errors.js';
import type { Box } from '../../ops/kernels/array/box.js';

/**
 * `chunks` as given by users: one size for every axis, or one per axis.
 * @example ts.array.zeros([4000, 300], { chunks: [1000, 300] })
 */
export type ChunkSpec = number | number[];

/**
 * Checks a shape: non-negative integers.
 * @example checkShape([3, 4]) // [3, 4]
 */
export function checkShape(shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new PlanError(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...shape] as number[];
}

/**
 * Per-axis chunk sizes (the last chunk of an axis may be shorter).
 * @example
 * normalizeChunks(2, [5, 4]) // [[2, 2, 1], [2, 2]]
 */
export function normalizeChunks(spec: ChunkSpec | undefined, shape: readonly number[]): number[][] {
  if (spec === undefined) return shape.map((d) => [d]);
  const sizes = typeof spec === 'number' ? shape.map(() => spec) : spec;
  if (!Array.isArray(sizes) || sizes.length !== shape.length) {
    throw new PlanError(`chunks ${JSON.stringify(spec)} has ${Array.isArray(sizes) ? sizes.length : 'no'} entries; the array has ${shape.length} axes (shape [${shape.join(', ')}])`);
  }
  return sizes.map((c, d) => {
    if (!Number.isInteger(c) || c <= 0) throw new PlanError(`chunks: size ${JSON.stringify(c)} for axis ${d} must be a positive integer (chunks ${JSON.stringify(spec)})`);
    const out: number[] = [];
    for (let s = 0; s < shape[d]; s += c) out.push(Math.min(c, shape[d] - s));
    if (shape[d] === 0) out.push(0);
    return out;
  });
}

/**
 * Chunk edges along one axis: `[0, c0, c0 + c1, ..., n]`.
 * @example bounds([2, 2, 1]) // [0, 2, 4, 5]
 */
export function bounds(sizes: readonly number[]): number[] {
  const b = [0];
  for (const c of sizes) b.push(b[b.length - 1] + c);
  return b;
}

/**
 * Every chunk's grid index and box, in C order of the grid (axis 0 slowest).
 * @example [...chunkBoxes([[2, 1], [3]])].map((c) => c.index) // [[0, 0], [1, 0]]
 */
export function* chunkBoxes(chunks: readonly number[][]): Generator<{ index: number[]; box: Box }> {
  const edges = chunks.map(bounds);
  const n = chunks.length;
  if (chunks.some((c) => c.length === 0 || (c.length === 1 && c[0] === 0))) {
    if (n === 0) yield { index: [], box: { start: [], stop: [] } };
    return;
  }
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    yield { index: [...idx], box: { start: idx.map((k, d) => edges[d][k]), stop: idx.map((k, d) => edges[d][k + 1]) } };
    let d = n - 1;
    while (d >= 0) {
      if (++idx[d] < chunks[d].length) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/**
 * Checks an axis argument against the number of axes (negative counts from the end).
 * @example checkAxis(-1, 3, 'sum') // 2
 */
export function checkAxis(axis: unknown, ndim: number, what: string): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new PlanError(`${what}: axis ${JSON.stringify(axis)} is out of range for an array with ${ndim} axes`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Chunks whose boxes are each one contiguous run of C-order positions, of about `target`
 * elements: along the first axes a chunk is one line while a line holds more than `target`,
 * then it takes as many lines as fit and covers the remaining axes whole.
 * @example
 * contiguousChunks([100, 50], 1000) // [[20, 20, 20, 20, 20], [50]]
 */
export function contiguousChunks(shape: readonly number[], target: number): number[][] {
  let whole = false;
  return shape.map((n, d) => {
    if (whole || n === 0) return normalizeChunks(Math.max(1, n), [n])[0];
    const rest = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    if (rest > target) return normalizeChunks(1, [n])[0];
    whole = true;
    return normalizeChunks(Math.min(n, Math.max(1, Math.floor(target / Math.max(1, rest)))), [n])[0];
  });
}

/**
 * Elements of the largest chunk: the size a task of this chunking handles at most.
 * @example largestChunk([[4, 4, 2], [3]]) // 12
 */
export const largestChunk = (chunks: readonly number[][]): number => chunks.reduce((a, c) => a * Math.max(1, ...c), 1);
