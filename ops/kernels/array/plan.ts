/**
 * The array expression DAG. Nodes are plain objects (structured-clone safe, shared children
 * keep their identity across postMessage), so the same tree is evaluated in-process and in
 * workers. Every node can be evaluated over any box of its shape: chunking belongs to the
 * execution, not to the expression.
 */
import type { NpyDtype } from '../../../io/npy/header.js';
import type { Region } from './box.js';

export type UnaryFn = 'exp' | 'sin' | 'cos' | 'log' | 'sqrt' | 'abs' | 'neg';
export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';
export type ReduceFn = 'sum' | 'mean' | 'min' | 'max' | 'var' | 'std' | 'argmin' | 'argmax';
export type ScanFn = 'sum' | 'prod';
export type Dist = 'uniform' | 'normal';

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
  | ScanNode
  | ReduceNode;

/**
 * A cumulative scan along `axis`. `bounds` are the chunk edges along the axis that the carries
 * refer to; `pre` (filled in before evaluation) holds, for each chunk k, the scan value just
 * before `bounds[k]`, as a region over the shape `[K, ...other axes]`.
 */
export interface ScanNode {
  op: 'scan'; shape: number[]; x: ANode; axis: number; fn: ScanFn; method: 'sequential' | 'blelloch';
  bounds: number[]; chunks: number[][]; pre?: Region;
}

/** A reduction, replaced by a `data` node holding its (small) result before evaluation. */
export interface ReduceNode { op: 'reduce'; shape: number[]; x: ANode; fn: ReduceFn; axis: number | null; chunks: number[][] }

/** Identity of a scan: the value before the first element. */
export const scanIdentity = (fn: ScanFn): number => (fn === 'sum' ? 0 : 1);

/** Shape without `axis`. */
export const dropAxis = (shape: readonly number[], axis: number): number[] => shape.filter((_, d) => d !== axis);
