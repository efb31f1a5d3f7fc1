/** The lazy, chunked N-d float64 array (dask.array-like). Operations build a DAG; nothing runs until compute() or toNpy(). */
import { PlanError } from '../errors.js';
import { dropAxis, type ANode, type BinaryFn, type ReduceFn, type ScanFn } from '../../ops/kernels/array/plan.js';
import { broadcastOperands, resultShape, type Operand } from './broadcast.js';
import { bounds, checkAxis, normalizeChunks, type ChunkSpec } from './chunks.js';
import { broadcastHint, type Deferred } from './deferred.js';
import { computeArray, writeNpy, type ComputedArray } from './materialize.js';
import { reshapeChunks, reshapeTarget } from './reshape.js';
import type { ArrayRunOptions } from './run.js';

/**
 * An array or a number broadcast over it.
 * @example a.add(2).mul(b) // numbers and arrays are both ArrayLike
 */
export type ArrayLike = LazyArray | number;

/**
 * Options of reductions: the axis to reduce (all axes when absent).
 * @example a.sum({ axis: 0 })
 */
export interface ReduceOptions { axis?: number }

/**
 * Options of scans: the axis and how chunk carries are found.
 * @example a.cumsum({ axis: 1, method: 'sequential' })
 */
export interface ScanOptions { axis?: number; method?: 'sequential' | 'blelloch' }

/**
 * A number or an array as an operand of an elementwise op.
 * @example toOperand(3, 'mul') // a 0-d node
 */
export function toOperand(x: ArrayLike, what: string): Operand {
  if (typeof x === 'number') return { node: { op: 'full', shape: [], value: x }, chunks: [] };
  if (!(x instanceof LazyArray)) throw new PlanError(`${what}: expected an array or a number, got ${typeof x}`);
  return { node: x.node, chunks: x.chunks };
}

/**
 * Elementwise `fn` of broadcast operands: the result's shape, chunks and node.
 * @example elementwise([a, 2], 'pow', ([x, y], shape) => ({ op: 'binary', fn: 'pow', shape, a: x, b: y }))
 */
export function elementwise(args: ArrayLike[], what: string, node: (xs: ANode[], shape: number[]) => ANode): LazyArray {
  const ops = args.map((x) => toOperand(x, what));
  const shape = resultShape(ops.map((o) => o.node.shape), what);
  const { nodes, chunks } = broadcastOperands(ops, shape);
  return new LazyArray(node(nodes, shape), chunks);
}

/**
 * When an argument's length is not known yet (see deferred.ts), the same operation as a
 * deferred array of shape `shape` (NaN where unknown); undefined otherwise.
 * @example const d = deferOn([a, b], broadcastHint([a.shape, b.shape]), (x, y) => x.add(y));
 */
export function deferOn<T extends unknown[]>(args: T, shape: number[], make: (...a: T) => LazyArray): LazyArray | undefined {
  if (!args.some((x) => x instanceof LazyArray && x.deferred)) return undefined;
  const inputs = args.filter((x): x is LazyArray => x instanceof LazyArray);
  return new LazyArray({ op: 'pending', shape }, shape.map((d) => [d]), {
    inputs,
    make: (known) => {
      let k = 0;
      return make(...(args.map((x) => (x instanceof LazyArray ? known[k++] : x)) as T));
    },
  });
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
  constructor(readonly node: ANode, readonly chunks: number[][], /** @internal */ readonly deferred?: Deferred) {}

  /** Sizes per axis; NaN for a length known only once computed (see `ts.array.fromColumn`). */
  get shape(): number[] { return [...this.node.shape]; }
  get ndim(): number { return this.node.shape.length; }
  get size(): number { return this.node.shape.reduce((a, b) => a * b, 1); }

  /** Elementwise with NumPy broadcasting: `(n, m) + (m,)`, `(n, 1) * (1, m)`; a shape mismatch is a PlanError naming both shapes. */
  private binary(fn: BinaryFn, x: ArrayLike): LazyArray {
    const later = deferOn([this, x] as [LazyArray, ArrayLike], broadcastHint([this.shape, x instanceof LazyArray ? x.shape : []]), (a, b) => a.binary(fn, b));
    return later ?? elementwise([this, x], fn, ([a, b], shape) => ({ op: 'binary', fn, shape, a, b }));
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
  neg(): LazyArray {
    return deferOn([this], this.shape, (a) => a.neg()) ?? new LazyArray({ op: 'unary', fn: 'neg', shape: this.shape, x: this.node }, this.chunks);
  }

  private reduce(fn: ReduceFn, opts: ReduceOptions = {}): LazyArray {
    const all = opts.axis === undefined || opts.axis === null;
    const axis = all ? null : checkAxis(opts.axis, this.ndim, fn);
    const later = deferOn([this], axis === null ? [] : dropAxis(this.shape, axis), (a) => a.reduce(fn, opts));
    if (later) return later;
    if (axis === null) return new LazyArray({ op: 'reduce', fn, axis: null, shape: [], x: this.node, chunks: this.chunks }, []);
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
    const later = deferOn([this], this.shape, (a) => a.scan(fn, opts));
    if (later) return later;
    return new LazyArray({ op: 'scan', fn, axis, method, shape: this.shape, x: this.node, bounds: bounds(this.chunks[axis]), chunks: this.chunks }, this.chunks);
  }

  /** @example a.cumsum({ axis: 1, method: 'sequential' }) */
  cumsum(opts?: ScanOptions): LazyArray { return this.scan('sum', opts); }
  /** @example a.cumprod({ axis: 0 }) */
  cumprod(opts?: ScanOptions): LazyArray { return this.scan('prod', opts); }

  /** Same values, new chunking. @example a.rechunk([100, 1000]) */
  rechunk(chunks: ChunkSpec): LazyArray {
    return deferOn([this], this.shape, (a) => a.rechunk(chunks)) ?? new LazyArray(this.node, normalizeChunks(chunks, this.shape));
  }

  /**
   * The same values in C order under a new shape; one axis may be -1 (inferred). Leading axes
   * the reshape keeps keep their chunks; the others are cut into contiguous runs of about one
   * input chunk each (see core/array/reshape.ts).
   * @example ts.array.arange(12, { chunks: 4 }).reshape([3, -1]).shape // [3, 4]
   */
  reshape(shape: number[]): LazyArray {
    const to = reshapeTarget(this.shape, shape);
    const later = deferOn([this], to, (a) => a.reshape(shape));
    if (later) return later;
    if (to.length === this.ndim && to.every((d, i) => d === this.shape[i])) return this;
    return new LazyArray({ op: 'reshape', shape: to, x: this.node }, reshapeChunks(this.shape, this.chunks, to));
  }

  /**
   * `[start, end)` per leading axis (negative values count from the end; missing axes are kept whole).
   * @example a.slice([0, 10], [5, -5])
   */
  slice(...ranges: [number, number][]): LazyArray {
    if (ranges.length > this.ndim) throw new PlanError(`slice: ${ranges.length} ranges for an array with ${this.ndim} axes`);
    const later = deferOn([this], this.shape.map((n, d) => (d < ranges.length ? NaN : n)), (a) => a.slice(...ranges));
    if (later) return later;
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
    const later = deferOn([this], ax.map((a) => this.shape[a]), (a) => a.transpose(ax));
    if (later) return later;
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

