/** Array constructors: generated (random, arange, full), from memory and from .npy files. */
import { resolve as resolvePath } from 'node:path';
import { PlanError } from '../errors.js';
import { openNpy } from '../../io/npy/read.js';
import { sizeOf } from '../../ops/kernels/array/box.js';
import type { Dist } from '../../ops/kernels/array/plan.js';
import { checkShape, normalizeChunks, type ChunkSpec } from './chunks.js';
import { LazyArray } from './lazy-array.js';

/**
 * Chunking of a new array.
 * @example ts.array.zeros([100, 100], { chunks: [50, 100] })
 */
export interface ChunkOptions { chunks: ChunkSpec }

/**
 * Options of {@link random}.
 * @example ts.array.random([10], { chunks: 5, seed: 7, dist: 'normal' })
 */
export interface RandomOptions extends ChunkOptions { seed?: number; dist?: Dist }

/**
 * Reproducible random values: element i of seed s is the same whatever the chunking, scheduler
 * or worker count (Philox4x32-10 keyed by the seed, counter = element index).
 * @example
 * const a = ts.array.random([4000, 4000], { chunks: 1000, seed: 42, dist: 'normal' });
 */
export function random(shape: number[], opts: RandomOptions): LazyArray {
  const sh = checkShape(shape);
  const seed = opts?.seed ?? 0;
  const dist = opts?.dist ?? 'uniform';
  if (!Number.isSafeInteger(seed)) throw new PlanError(`random: seed must be an integer, got ${seed}`);
  if (dist !== 'uniform' && dist !== 'normal') throw new PlanError(`random: unknown dist ${JSON.stringify(dist)}; use 'uniform' or 'normal'`);
  return new LazyArray({ op: 'random', shape: sh, seed, dist }, normalizeChunks(opts?.chunks, sh));
}

/**
 * 0, 1, ..., n-1.
 * @example ts.array.arange(10, { chunks: 4 })
 */
export function arange(n: number, opts: ChunkOptions): LazyArray {
  const [len] = checkShape([n]);
  return new LazyArray({ op: 'arange', shape: [len] }, normalizeChunks(opts?.chunks, [len]));
}

/**
 * Every element `value`.
 * @example ts.array.full([3, 3], 7, { chunks: 2 })
 */
export function full(shape: number[], value: number, opts: ChunkOptions): LazyArray {
  const sh = checkShape(shape);
  if (typeof value !== 'number') throw new PlanError(`full: value must be a number, got ${typeof value}`);
  return new LazyArray({ op: 'full', shape: sh, value }, normalizeChunks(opts?.chunks, sh));
}

/** @example ts.array.zeros([10, 10], { chunks: 5 }) */
export const zeros = (shape: number[], opts: ChunkOptions): LazyArray => full(shape, 0, opts);

/** @example ts.array.ones([10], { chunks: 5 }) */
export const ones = (shape: number[], opts: ChunkOptions): LazyArray => full(shape, 1, opts);

/**
 * Typed arrays accepted by {@link fromTypedArray}.
 * @example ts.array.fromTypedArray(new Int32Array([1, 2, 3]), [3], { chunks: 2 })
 */
export type NumericArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | Uint8ClampedArray | number[];

/**
 * An array over values in memory (C order). Float64 data is used in place, other types are
 * converted once; with the threads scheduler each task receives a copy of just its region.
 * @example ts.array.fromTypedArray(new Float64Array([1, 2, 3, 4]), [2, 2], { chunks: 1 })
 */
export function fromTypedArray(data: NumericArray, shape: number[], opts: ChunkOptions): LazyArray {
  const sh = checkShape(shape);
  if (data.length !== sizeOf(sh)) throw new PlanError(`fromTypedArray: ${data.length} values do not fill shape [${sh.join(', ')}] (${sizeOf(sh)} elements)`);
  const f64 = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>);
  return new LazyArray({ op: 'data', shape: sh, region: { data: f64, origin: sh.map(() => 0), shape: sh } }, normalizeChunks(opts?.chunks, sh));
}

/**
 * An array read lazily from a .npy file (v1-v3, little-endian f8/f4/i8/i4/i2/i1/u8/u4/u2/u1/b1,
 * C order); each task reads only its chunk.
 * @example const a = ts.array.fromNpy('data.npy', { chunks: 1000 });
 */
export function fromNpy(path: string, opts: ChunkOptions): LazyArray {
  const abs = resolvePath(path);
  const h = openNpy(abs);
  return new LazyArray({ op: 'npy', shape: h.shape, path: abs, dataOffset: h.dataOffset, dtype: h.dtype }, normalizeChunks(opts?.chunks, h.shape));
}
