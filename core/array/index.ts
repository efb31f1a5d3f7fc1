/**
 * `ts.array`: lazy, chunked, N-dimensional float64 arrays (dask.array-like).
 * @example
 * import * as ts from 'tessera';
 * const a = ts.array.random([4000, 4000], { chunks: 1000, seed: 1 });
 * const m = await ts.array.exp(a).add(ts.array.sin(a).mul(3)).mean({ axis: 0 }).compute();
 */
export { LazyArray, type ArrayLike, type ReduceOptions, type ScanOptions } from './lazy-array.js';
export { random, arange, zeros, ones, full, fromTypedArray, fromNpy, type ChunkOptions, type RandomOptions, type NumericArray } from './constructors.js';
export { exp, sin, cos, log, sqrt, abs, where } from './elementwise.js';
export { fromColumn, type FromColumnOptions } from './column.js';
export { compute } from './compute.js';
export { randomStream, type RandomStream } from './random-stream.js';
export { shutdownArrayWorkers, type ArrayRunOptions } from './run.js';
export type { ComputedArray } from './materialize.js';
export type { ChunkSpec } from './chunks.js';
