/**
 * `reshape`: the target shape (one -1 inferred) and the chunks of the result.
 *
 * Chunking rule: leading axes the reshape leaves unchanged keep their chunks. The remaining
 * (merged or split) axes are chunked so that each chunk is one contiguous run of C-order
 * positions of about the size of an input chunk over those axes: one line along the first
 * axes while a line is larger than that, then as many lines as fit, later axes whole. Such a
 * chunk reads at most a few boxes of the input (a partial line, whole lines, a partial line),
 * whatever the input's chunks, so no general data shuffle is needed; in effect the input is
 * read as if rechunked into those runs.
 */
import { PlanError } from '../errors.js';
import { sizeOf } from '../../ops/kernels/array/box.js';
import { keptAxes } from '../../ops/kernels/array/reshape.js';
import { contiguousChunks, largestChunk } from './chunks.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The target shape of reshaping `from` to `spec` (at most one -1, inferred). `from` may hold
 * NaN for a length not known yet: the -1 is then NaN too and the size check waits.
 * @example
 * reshapeTarget([6, 4], [-1, 3]) // [8, 3]
 */
export function reshapeTarget(from: readonly number[], spec: unknown): number[] {
  if (!Array.isArray(spec) || spec.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new PlanError(`reshape: shape must be an array of non-negative integers and at most one -1, got ${JSON.stringify(spec)}`);
  }
  const to = spec as number[];
  const free = to.filter((d) => d === -1).length;
  if (free > 1) throw new PlanError(`reshape: only one axis can be -1, got ${fmt(to)}`);
  const size = sizeOf(from);
  const known = sizeOf(to.filter((d) => d !== -1));
  if (free === 1) {
    if (known === 0) throw new PlanError(`reshape: cannot infer the -1 in ${fmt(to)}: the other axes hold 0 elements`);
    if (Number.isNaN(size)) return to.map((d) => (d === -1 ? NaN : d));
    if (size % known !== 0) throw new PlanError(`reshape: cannot reshape an array of shape ${fmt(from)} (${size} elements) into ${fmt(to)}: ${size} is not a multiple of ${known}`);
    return to.map((d) => (d === -1 ? size / known : d));
  }
  if (!Number.isNaN(size) && known !== size) throw new PlanError(`reshape: cannot reshape an array of shape ${fmt(from)} (${size} elements) into ${fmt(to)} (${known} elements)`);
  return [...to];
}

/**
 * Chunks of the reshape of an array (shape `from`, chunks `chunks`) to `to` (see the file's rule).
 * @example
 * reshapeChunks([1000], [[100, 100, 100, 100, 100, 100, 100, 100, 100, 100]], [10, 100]) // [[1, ...], [100]]
 */
export function reshapeChunks(from: readonly number[], chunks: readonly number[][], to: readonly number[]): number[][] {
  const lead = keptAxes(from, to);
  const target = Math.max(1, largestChunk(chunks.slice(lead)));
  return [...chunks.slice(0, lead).map((c) => [...c]), ...contiguousChunks(to.slice(lead), target)];
}
