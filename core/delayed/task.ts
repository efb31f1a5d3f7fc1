/**
 * Delayed tasks (dask.delayed-like): `ts.delayed(fn)` wraps a function so that calling it
 * records a lazy Task instead of running it; tasks may take other tasks as arguments, and
 * computing them runs the graph on the worker pool.
 */
import { PlanError } from '../errors.js';
import type { UdfRunOptions } from '../udf/run.js';
import { shipContext, shipFunction, type ShippedFn, type UserFunction } from '../udf/ship.js';
import { computeTasks } from './graph.js';

let nextId = 1;

/**
 * One lazy call. Its arguments are values, tasks, or arrays/plain objects holding tasks.
 * @example
 * const inc = ts.delayed((x: number) => x + 1);
 * await inc(inc(1)).compute(); // 3
 */
export class Task<T = unknown> {
  /** unique per task: names it in messages */
  readonly id = nextId++;
  /** Made by the function `ts.delayed()` returns. */
  constructor(readonly fn: ShippedFn, readonly args: readonly unknown[], readonly context: { value: unknown } | undefined, readonly name: string) {}

  /**
   * How messages name this task.
   * @example inc(1).label // 'delayed task inc #1'
   */
  get label(): string { return `delayed task ${this.name} #${this.id}`; }

  /**
   * Runs this task and what it depends on (each task once, independent ones in parallel).
   * @example await inc(1).compute({ scheduler: 'sync' }) // 2
   */
  async compute(opts?: UdfRunOptions): Promise<T> {
    const [v] = await computeTasks([this], opts);
    return v as T;
  }
}

/**
 * Options of ts.delayed: `context` is passed as one more, last, argument; `name` names the tasks in messages.
 * @example ts.delayed((x: number, ctx: { k: number }) => x * ctx.k, { context: { k: 3 }, name: 'scale' })
 */
export interface DelayedOptions { context?: unknown; name?: string }

/**
 * Wraps `fn` so that calling it returns a lazy {@link Task}. `fn` runs in a worker thread, so it
 * must not use variables from outside its body; with `{ context }` it is called as
 * `fn(...args, ctx)`.
 * @example
 * const add = ts.delayed((a: number, b: number) => a + b);
 * const scale = ts.delayed((x: number, ctx: { k: number }) => x * ctx.k, { context: { k: 10 } });
 * const [r] = await ts.compute(scale(add(1, 2))); // 30
 */
export function delayed<F extends UserFunction>(fn: F, opts: DelayedOptions = {}): (...args: unknown[]) => Task<Awaited<ReturnType<F>>> {
  const shipped = shipFunction(fn, 'ts.delayed()');
  const context = 'context' in opts ? { value: shipContext(opts.context, 'ts.delayed()') } : undefined;
  if (opts.name !== undefined && typeof opts.name !== 'string') throw new PlanError(`ts.delayed(): name must be a string, got ${typeof opts.name}`);
  const name = opts.name ?? (shipped.name || 'anonymous');
  return (...args: unknown[]) => new Task<Awaited<ReturnType<F>>>(shipped, args, context, name);
}
