/**
 * Bag: a lazy, partitioned collection of arbitrary JS values (dask.bag-like). Verbs only build
 * a description; `compute()` runs it on worker threads. User functions are called as
 * `fn(item, ctx)` where `ctx` is the call's `{ context }` option.
 */
import { PlanError } from '../errors.js';
import type { LazyFrame } from '../lazyframe.js';
import { shipContext, shipFunction } from '../udf/ship.js';
import type { UdfRunOptions } from '../udf/run.js';
import { bagFrame } from './frame.js';
import { BagItem } from './item.js';
import type { BagPlan, FieldKey, KeySpec, Reduction, Step } from './plan.js';
import { computeBag } from './run.js';

/**
 * Options of a verb taking user functions: `context` is structured-cloned to the workers and
 * passed as `ctx` (typed `any` by default, so functions can read its fields undeclared).
 * @example b.map((x, ctx) => x * ctx.k, { context: { k: 2 } })
 */
export interface FnOptions<C = any> { context?: C }

/**
 * A key for topk/distinct/foldby: a function of the item, or a field name/index (list = tuple).
 * @example b.topk(3, 'score'); b.topk(3, (r) => r.score * -1); b.distinct(['city', 'year'])
 */
export type KeyArg<T, C = any> = ((item: T, ctx: C) => unknown) | FieldKey;

const isField = (k: unknown): k is FieldKey =>
  typeof k === 'string' || typeof k === 'number' || (Array.isArray(k) && k.every((x) => typeof x === 'string' || typeof x === 'number'));

function keySpec(key: unknown, label: string, what: string, context: unknown): KeySpec {
  if (typeof key === 'function') return { label, fn: shipFunction(key, what), context };
  if (isField(key)) return { label, field: key };
  throw new PlanError(`${what}: key must be a function (item, ctx) => key, a field name or index, or a list of them; got ${typeof key}`);
}

/**
 * A lazy collection of JS values in partitions.
 * @example
 * const b = ts.bag.fromItems([1, 2, 3, 4], { partitions: 2 });
 * await b.map((x, ctx) => x * ctx.k, { context: { k: 10 } }).filter((x) => x > 10).compute(); // [20, 30, 40]
 */
export class Bag<T = unknown> {
  /** Use `ts.bag.fromItems` / `ts.bag.readText`. */
  constructor(readonly plan: BagPlan) {}

  /**
   * Partitions of an in-memory bag (undefined when they are only known once the source is read).
   * @example ts.bag.fromItems([1, 2, 3], { partitions: 2 }).npartitions // 2
   */
  get npartitions(): number | undefined {
    return this.plan.source.kind === 'items' && !this.plan.reduce ? this.plan.source.partitions.length : undefined;
  }

  /** The plan further steps build on: a reduced bag becomes the source of a new stage. */
  private open(): BagPlan {
    const p = this.plan;
    return p.reduce ? { source: { kind: 'bag', parent: p }, steps: [], counts: p.counts } : p;
  }

  private step<U>(kind: 'map' | 'flatMap' | 'filter', fn: unknown, opts: FnOptions | undefined): Bag<U> {
    const what = `bag.${kind}()`;
    const shipped = shipFunction(fn, what);
    const context = shipContext(opts?.context, what);
    const base = this.open();
    const n = (base.counts[kind] ?? 0) + 1;
    const st: Step = { kind, label: `${kind} #${n}`, fn: shipped, context };
    return new Bag<U>({ ...base, steps: [...base.steps, st], counts: { ...base.counts, [kind]: n } });
  }

  private reduced<U>(reduce: Reduction): Bag<U> {
    return new Bag<U>({ ...this.open(), reduce });
  }

  /**
   * Applies `fn(item, ctx)` to every item (it may be async).
   * @example ts.bag.fromItems([1, 2]).map((x) => x + 1) // 2, 3
   */
  map<U, C = any>(fn: (item: T, ctx: C) => U | Promise<U>, opts?: FnOptions<C>): Bag<U> { return this.step('map', fn, opts); }

  /**
   * Applies `fn(item, ctx)` and spreads what it returns: any iterable except a string gives its
   * elements, any other value is one item (like Array.prototype.flatMap).
   * @example ts.bag.fromItems(['a b', 'c']).flatMap((s) => s.split(' ')) // 'a', 'b', 'c'
   */
  flatMap<U, C = any>(fn: (item: T, ctx: C) => Iterable<U> | U | Promise<Iterable<U> | U>, opts?: FnOptions<C>): Bag<U> {
    return this.step('flatMap', fn, opts);
  }

  /**
   * Keeps the items for which `fn(item, ctx)` is truthy.
   * @example ts.bag.fromItems([1, 2, 3]).filter((x) => x % 2 === 1) // 1, 3
   */
  filter<C = any>(fn: (item: T, ctx: C) => unknown, opts?: FnOptions<C>): Bag<T> { return this.step('filter', fn, opts); }

  /**
   * `item[key]` for every item; a list of keys gives tuples.
   * @example ts.bag.fromItems([{ a: 1, b: 2 }]).pluck('a') // 1
   */
  pluck<K extends keyof T>(key: K): Bag<T[K]>;
  pluck(key: FieldKey): Bag<unknown>;
  pluck(key: FieldKey): Bag<unknown> {
    if (!isField(key)) throw new PlanError(`bag.pluck(): key must be a field name, an index or a list of them; got ${typeof key}`);
    const base = this.open();
    const n = (base.counts.pluck ?? 0) + 1;
    return new Bag({ ...base, steps: [...base.steps, { kind: 'pluck', label: `pluck #${n}`, key }], counts: { ...base.counts, pluck: n } });
  }

  /**
   * Distinct items (by value: equal arrays/objects are equal) in order of first appearance;
   * with `key`, the first item of each distinct key.
   * @example ts.bag.fromItems([1, 2, 1, 3, 2]).distinct() // 1, 2, 3
   */
  distinct(key?: KeyArg<T>, opts?: FnOptions): Bag<T> {
    const k = key === undefined ? undefined : keySpec(key, 'distinct key', 'bag.distinct()', shipContext(opts?.context, 'bag.distinct()'));
    return this.reduced({ kind: 'distinct', key: k });
  }

  /**
   * The number of items; compute() gives a number.
   * @example await ts.bag.fromItems([1, 2, 3]).count().compute() // 3
   */
  count(): BagItem<number> {
    return new BagItem<number>(this.reduced({ kind: 'count' }));
  }

  /**
   * `[value, count]` for each distinct value, in order of first appearance.
   * @example ts.bag.fromItems(['a', 'b', 'a']).frequencies() // ['a', 2], ['b', 1]
   */
  frequencies(): Bag<[T, number]> {
    return this.reduced({ kind: 'frequencies' });
  }

  /**
   * The `k` largest items by `key` (the item itself by default), sorted descending; ties keep
   * the order of first appearance.
   * @example ts.bag.fromItems([{ n: 1 }, { n: 5 }, { n: 3 }]).topk(2, 'n') // { n: 5 }, { n: 3 }
   */
  topk(k: number, key?: KeyArg<T>, opts?: FnOptions): Bag<T> {
    if (!Number.isInteger(k) || k < 0) throw new PlanError(`bag.topk(): k must be a non-negative integer, got ${k}`);
    const ks = key === undefined ? undefined : keySpec(key, 'topk key', 'bag.topk()', shipContext(opts?.context, 'bag.topk()'));
    return this.reduced({ kind: 'topk', k, key: ks });
  }

  /**
   * Group-wise fold: per partition, `binop(acc, item, ctx)` folds each key's items starting from
   * (a copy of) `initial`, or from the key's first item when `initial` is undefined; the partials
   * are then folded with `combine(acc1, acc2, ctx)` (default: `binop`) starting from
   * `combineInitial`, or from the first partial. Gives `[key, value]` pairs in order of first appearance.
   * @example
   * ts.bag.fromItems([1, 2, 3, 4, 5]).foldby((x) => x % 2, (acc, x) => acc + x, 0) // [1, 9], [0, 6]
   */
  foldby<A, K = unknown, C = any>(
    key: ((item: T, ctx: C) => K) | FieldKey,
    binop: (acc: A, item: T, ctx: C) => A,
    initial?: A,
    combine?: (a: A, b: A, ctx: C) => A,
    combineInitial?: A,
    opts?: FnOptions<C>,
  ): Bag<[K, A]> {
    const what = 'bag.foldby()';
    const context = shipContext(opts?.context, what);
    const b = shipFunction(binop, what);
    return this.reduced({
      kind: 'foldby', key: keySpec(key, 'foldby key', what, context), binop: b,
      combine: combine === undefined ? b : shipFunction(combine, what), context,
      initial: initial === undefined ? undefined : { value: shipContext(initial, `${what} initial`) },
      combineInitial: combineInitial === undefined ? undefined : { value: shipContext(combineInitial, `${what} combineInitial`) },
    });
  }

  /**
   * A LazyFrame over the items: objects give a column per key (all keys seen, or `columns`),
   * tuples (arrays) give columns `columns` (default '0', '1', ...), other values one column
   * (`columns[0]`, default 'value'). Types are inferred as by `ts.fromColumns`. The bag is
   * computed when the frame first runs (once; later runs reuse its items).
   * @example await ts.bag.fromItems(['a', 'b', 'a']).frequencies().toDataFrame(['word', 'n']).collect()
   */
  toDataFrame(columns?: string[], opts?: UdfRunOptions): LazyFrame {
    if (columns !== undefined && (!Array.isArray(columns) || !columns.length || columns.some((c) => typeof c !== 'string'))) {
      throw new PlanError('bag.toDataFrame(): columns must be a non-empty list of column names');
    }
    return bagFrame(this, columns, opts);
  }

  /**
   * Runs the bag and returns its items in order.
   * @example await ts.bag.fromItems([3, 1, 2]).compute({ scheduler: 'sync' }) // [3, 1, 2]
   */
  compute(opts?: UdfRunOptions): Promise<T[]> {
    return computeBag(this.plan, opts) as Promise<T[]>;
  }
}
