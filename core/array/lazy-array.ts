/** The lazy, chunked N-d float64 array (dask.array-like). Operations build a DAG; nothing runs until compute() or toNpy(). */
import { PlanError } from '../errors.js';
import { dropAxis, type ANode, type BinaryFn, type ReduceFn, type ScanFn } from '../../ops/kernels/array/plan.js';
import { bounds, checkAxis, normalizeChunks, type ChunkSpec } from './chunks.js';
import { computeArray, writeNpy, type ComputedArray } from './materialize.js';
import type { ArrayRunOptions } from './run.js';

/** An array or a number broadcast over it. */
export type ArrayLike = LazyArray | number;

/** Options of reductions: the axis to reduce (all axes when absent). */
export interface ReduceOptions { axis?: number }

/** Options of scans: the axis and how chunk carries are found. */
export interface ScanOptions { axis?: number; method?: 'sequential' | 'blelloch' }

/** Wraps a number or array as a node of the same shape as `like`, checking shapes agree. */
export function operand(x: ArrayLike, like: readonly number[], what: string): ANode {
  if (typeof x === 'number') return { op: 'full', shape: [], value: x };
  if (!(x instanceof LazyArray)) throw new PlanError(`${what}: expected an array or a number, got ${typeof x}`);
  if (x.shape.length !== 0 && (x.shape.length !== like.length || x.shape.some((d, i) => d !== like[i]))) {
    throw new PlanError(`${what}: shapes [${like.join(', ')}] and [${x.shape.join(', ')}] differ (only equal shapes or 0-d arrays combine)`);
  }
  return x.node;
}

/**
 * A lazy chunked float64 array.
 * @example
 * const a = ts.array.random([1000, 1000], { chunks: 250, seed: 1 });
 * const { data } = await ts.array.exp(a).add(a.mul(3)).mean({ axis: 0 }).compute();
 */
export class LazyArray {
  readonly dtype = 'float64' as const;
  /** @internal */
  constructor(readonly node: ANode, readonly chunks: number[][]) {}

  get shape(): number[] { return [...this.node.shape]; }
  get ndim(): number { return this.node.shape.length; }
  get size(): number { return this.node.shape.reduce((a, b) => a * b, 1); }

  private binary(fn: BinaryFn, x: ArrayLike): LazyArray {
    const b = operand(x, this.shape, fn);
    if (this.ndim === 0 && b.shape.length > 0) {
      return new LazyArray({ op: 'binary', fn, shape: [...b.shape], a: this.node, b }, (x as LazyArray).chunks);
    }
    return new LazyArray({ op: 'binary', fn, shape: this.shape, a: this.node, b }, this.chunks);
  }

  /** @example a.add(1).add(b) */
  add(x: ArrayLike): LazyArray { return this.binary('add', x); }
  /** @example a.sub(b) */
  sub(x: ArrayLike): LazyArray { return this.binary('sub', x); }
  /** @example a.mul(3) */
  mul(x: ArrayLike): LazyArray { return this.binary('mul', x); }
  /** @example a.div(b) */
  div(x: ArrayLike): LazyArray { return this.binary('div', x); }
  /** @example a.pow(2) */
  pow(x: ArrayLike): LazyArray { return this.binary('pow', x); }
  /** 1 where greater, else 0. @example a.gt(0.5) */
  gt(x: ArrayLike): LazyArray { return this.binary('gt', x); }
  /** @example a.ge(0) */
  ge(x: ArrayLike): LazyArray { return this.binary('ge', x); }
  /** @example a.lt(b) */
  lt(x: ArrayLike): LazyArray { return this.binary('lt', x); }
  /** @example a.le(1) */
  le(x: ArrayLike): LazyArray { return this.binary('le', x); }
  /** @example a.eq(0) */
  eq(x: ArrayLike): LazyArray { return this.binary('eq', x); }
  /** @example a.ne(0) */
  ne(x: ArrayLike): LazyArray { return this.binary('ne', x); }
  /** @example a.neg() */
  neg(): LazyArray { return new LazyArray({ op: 'unary', fn: 'neg', shape: this.shape, x: this.node }, this.chunks); }

  private reduce(fn: ReduceFn, opts: ReduceOptions = {}): LazyArray {
    if (opts.axis === undefined || opts.axis === null) {
      return new LazyArray({ op: 'reduce', fn, axis: null, shape: [], x: this.node, chunks: this.chunks }, []);
    }
    const axis = checkAxis(opts.axis, this.ndim, fn);
    return new LazyArray({ op: 'reduce', fn, axis, shape: dropAxis(this.shape, axis), x: this.node, chunks: this.chunks }, this.chunks.filter((_, d) => d !== axis));
  }

  /** @example await a.sum({ axis: 0 }).compute() */
  sum(opts?: ReduceOptions): LazyArray { return this.reduce('sum', opts); }
  /** @example a.mean() */
  mean(opts?: ReduceOptions): LazyArray { return this.reduce('mean', opts); }
  /** @example a.min({ axis: 1 }) */
  min(opts?: ReduceOptions): LazyArray { return this.reduce('min', opts); }
  /** @example a.max() */
  max(opts?: ReduceOptions): LazyArray { return this.reduce('max', opts); }
  /** Population variance (ddof 0, as numpy). @example a.var() */
  var(opts?: ReduceOptions): LazyArray { return this.reduce('var', opts); }
  /** Population standard deviation. @example a.std({ axis: 0 }) */
  std(opts?: ReduceOptions): LazyArray { return this.reduce('std', opts); }
  /** Index of the first minimum (flat C-order index without an axis). @example a.argmin() */
  argmin(opts?: ReduceOptions): LazyArray { return this.reduce('argmin', opts); }
  /** @example a.argmax({ axis: 1 }) */
  argmax(opts?: ReduceOptions): LazyArray { return this.reduce('argmax', opts); }

  private scan(fn: ScanFn, opts: ScanOptions = {}): LazyArray {
    const name = fn === 'sum' ? 'cumsum' : 'cumprod';
    if (opts.axis === undefined && this.ndim !== 1) throw new PlanError(`${name}: give { axis } for an array with ${this.ndim} axes`);
    const axis = checkAxis(opts.axis ?? 0, this.ndim, name);
    const method = opts.method ?? 'blelloch';
    if (method !== 'sequential' && method !== 'blelloch') throw new PlanError(`${name}: unknown method ${JSON.stringify(method)}; use 'sequential' or 'blelloch'`);
    return new LazyArray({ op: 'scan', fn, axis, method, shape: this.shape, x: this.node, bounds: bounds(this.chunks[axis]), chunks: this.chunks }, this.chunks);
  }

  /** @example a.cumsum({ axis: 1, method: 'sequential' }) */
  cumsum(opts?: ScanOptions): LazyArray { return this.scan('sum', opts); }
  /** @example a.cumprod({ axis: 0 }) */
  cumprod(opts?: ScanOptions): LazyArray { return this.scan('prod', opts); }

  /** Same values, new chunking. @example a.rechunk([100, 1000]) */
  rechunk(chunks: ChunkSpec): LazyArray { return new LazyArray(this.node, normalizeChunks(chunks, this.shape)); }

  /**
   * `[start, end)` per leading axis (negative values count from the end; missing axes are kept whole).
   * @example a.slice([0, 10], [5, -5])
   */
  slice(...ranges: [number, number][]): LazyArray {
    if (ranges.length > this.ndim) throw new PlanError(`slice: ${ranges.length} ranges for an array with ${this.ndim} axes`);
    const start: number[] = [], shape: number[] = [], chunks: number[][] = [];
    this.shape.forEach((n, d) => {
      const r = ranges[d] ?? [0, n];
      if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isInteger)) throw new PlanError(`slice: range for axis ${d} must be [start, end) integers, got ${JSON.stringify(r)}`);
      const s = r[0] < 0 ? r[0] + n : r[0];
      const e = r[1] < 0 ? r[1] + n : r[1];
      if (s < 0 || e > n || s > e) throw new PlanError(`slice: range ${JSON.stringify(r)} is outside axis ${d} of length ${n}`);
      start.push(s); shape.push(e - s);
      const edges = bounds(this.chunks[d]);
      const c: number[] = [];
      for (let k = 0; k + 1 < edges.length; k++) {
        const lo = Math.max(edges[k], s), hi = Math.min(edges[k + 1], e);
        if (hi > lo) c.push(hi - lo);
      }
      chunks.push(c.length ? c : [0]);
    });
    return new LazyArray({ op: 'slice', shape, x: this.node, start }, chunks);
  }

  /** Axes permuted (reversed by default). @example a.transpose([1, 0]) */
  transpose(axes?: number[]): LazyArray {
    const n = this.ndim;
    const ax = axes ?? Array.from({ length: n }, (_, i) => n - 1 - i);
    if (ax.length !== n || [...ax].sort((a, b) => a - b).some((a, i) => a !== i)) throw new PlanError(`transpose: axes ${JSON.stringify(axes)} are not a permutation of 0..${n - 1}`);
    return new LazyArray({ op: 'transpose', shape: ax.map((a) => this.shape[a]), x: this.node, axes: ax }, ax.map((a) => this.chunks[a]));
  }

  /** Transposed (axes reversed). @example a.T.shape */
  get T(): LazyArray { return this.transpose(); }

  /**
   * Runs the computation and returns every value (C order).
   * @example const { data, shape } = await a.compute({ scheduler: 'threads', workers: 2 });
   */
  compute(opts?: ArrayRunOptions): Promise<ComputedArray> { return computeArray(this, opts); }

  /**
   * Streams the array to a .npy file (float64, C order) chunk by chunk.
   * @example await a.toNpy('out.npy');
   */
  toNpy(path: string, opts?: ArrayRunOptions): Promise<void> { return writeNpy(this, path, opts); }
}

