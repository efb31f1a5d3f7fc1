/**
 * The array expression DAG. Nodes are plain objects (structured-clone safe, shared children
 * keep their identity across postMessage), so the same tree is evaluated in-process and in
 * workers. Every node can be evaluated over any box of its shape: chunking belongs to the
 * execution, not to the expression.
 */
import type { NpyDtype } from '../../../io/npy/header.js';
import type { Region } from './box.js';

/** Elementwise functions of one array. @example const f: UnaryFn = 'exp'; */
export type UnaryFn = 'exp' | 'sin' | 'cos' | 'log' | 'sqrt' | 'abs' | 'neg';
/** Elementwise functions of two arrays (comparisons give 1 or 0). @example const f: BinaryFn = 'add'; */
export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';
/** Reductions. @example const f: ReduceFn = 'argmax'; */
export type ReduceFn = 'sum' | 'mean' | 'min' | 'max' | 'var' | 'std' | 'argmin' | 'argmax';
/** Cumulative scans. @example const f: ScanFn = 'prod'; */
export type ScanFn = 'sum' | 'prod';
/** Distributions of `random`. @example ts.array.random([3], { chunks: 3, dist: 'normal' satisfies Dist }) */
export type Dist = 'uniform' | 'normal';

/** A node of the array expression DAG. @example const n: ANode = { op: 'random', shape: [4, 4], seed: 1, dist: 'uniform' }; */
export type ANode =
  | { op: 'random'; shape: number[]; seed: number; dist: Dist }
  | { op: 'arange'; shape: number[] }
  | { op: 'full'; shape: number[]; value: number }
  | { op: 'data'; shape: number[]; region: Region }
  | { op: 'npy'; shape: number[]; path: string; dataOffset: number; dtype: NpyDtype }
  | { op: 'unary'; shape: number[]; fn: UnaryFn; x: ANode }
  | { op: 'binary'; shape: number[]; fn: BinaryFn; a: ANode; b: ANode }
  | { op: 'where'; shape: number[]; c: ANode; a: ANode; b: ANode }
  | { op: 'slice'; shape: number[]; x: ANode; start: number[] }
  | { op: 'transpose'; shape: number[]; x: ANode; axes: number[] }
  | { op: 'broadcast'; shape: number[]; x: ANode }
  | { op: 'reshape'; shape: number[]; x: ANode }
  | { op: 'column'; shape: number[]; source: ColumnRef }
  | { op: 'pending'; shape: number[] }
  | ScanNode
  | ReduceNode;

/**
 * A numeric column of a data frame. Kernels never see one: it is read (into memory or a
 * temporary file) and replaced by a `data` or `npy` node before any chunk is evaluated, so the
 * reference is opaque here and never crosses a thread boundary.
 * @example const ref: ColumnRef = new FrameColumn(df, 'x', 1000);
 */
export interface ColumnRef { readonly column: string }

/**
 * Notes on the other nodes: `broadcast` stretches `x` (right-aligned axes, size-1 axes
 * repeated) to `shape` as NumPy does; `reshape` reads `x` in C order under a new shape;
 * `pending` stands for an array whose length is known only once a frame has run (see
 * core/array/deferred.ts) and is never evaluated.
 */

/**
 * A cumulative scan along `axis`. `bounds` are the chunk edges along the axis that the carries
 * refer to; `pre` (filled in before evaluation) holds, for each chunk k, the scan value just
 * before `bounds[k]`, as a region over the shape `[K, ...other axes]`.
 * @example ts.array.arange(10, { chunks: 4 }).cumsum().node // a ScanNode
 */
export interface ScanNode {
  op: 'scan'; shape: number[]; x: ANode; axis: number; fn: ScanFn; method: 'sequential' | 'blelloch';
  bounds: number[]; chunks: number[][]; pre?: Region;
}

/**
 * A reduction, replaced by a `data` node holding its (small) result before evaluation.
 * @example a.sum({ axis: 0 }).node // a ReduceNode
 */
export interface ReduceNode { op: 'reduce'; shape: number[]; x: ANode; fn: ReduceFn; axis: number | null; chunks: number[][] }

/**
 * Identity of a scan: the value before the first element.
 * @example scanIdentity('prod') // 1
 */
export const scanIdentity = (fn: ScanFn): number => (fn === 'sum' ? 0 : 1);

/**
 * Shape without `axis`.
 * @example dropAxis([2, 3, 4], 1) // [2, 4]
 */
export const dropAxis = (shape: readonly number[], axis: number): number[] => shape.filter((_, d) => d !== axis);
