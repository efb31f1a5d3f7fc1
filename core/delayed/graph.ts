/**
 * Running a graph of delayed tasks: each task starts as soon as its dependencies are done
 * (independent tasks run in parallel on the pool, at most 2 x workers at once), and each task
 * runs once per compute even when several others depend on it.
 */
import { Bag } from '../bag/bag.js';
import { BagItem } from '../bag/item.js';
import { limiter, runUdfTask, udfSettings, windowFor, type UdfRunOptions } from '../udf/run.js';
import { Task } from './task.js';

// Containers are searched for tasks this deep; deeper values travel as they are.
const MAX_DEPTH = 16;

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};

const isLazy = (x: unknown): boolean => x instanceof Task || x instanceof Bag || x instanceof BagItem;

function hasLazy(x: unknown, depth = 0): boolean {
  if (isLazy(x)) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(x)) return x.some((v) => hasLazy(v, depth + 1));
  if (isPlainObject(x)) return Object.values(x).some((v) => hasLazy(v, depth + 1));
  return false;
}

/**
 * Computes `roots` (tasks, bags, or containers of them; other values pass through) as one graph.
 * @example const [a, b] = await computeTasks([t1, t2], { scheduler: 'threads' });
 */
export async function computeTasks(roots: readonly unknown[], opts: UdfRunOptions = {}): Promise<unknown[]> {
  const s = udfSettings(opts);
  const limit = limiter(windowFor(s));
  const memo = new Map<object, Promise<unknown>>();

  const once = (key: object, make: () => Promise<unknown>): Promise<unknown> => {
    let p = memo.get(key);
    if (!p) { p = make(); memo.set(key, p); }
    return p;
  };

  const runTask = (t: Task): Promise<unknown> => once(t, async () => {
    const args = await Promise.all(t.args.map((a) => resolve(a, 0)));
    return limit(() => runUdfTask({ kind: 'call', label: t.label, fn: t.fn, args, context: t.context }, s));
  });

  const resolve = async (x: unknown, depth: number): Promise<unknown> => {
    if (x instanceof Task) return runTask(x);
    if (x instanceof Bag || x instanceof BagItem) return once(x, () => x.compute(opts));
    if (!hasLazy(x, depth)) return x;
    if (Array.isArray(x)) return Promise.all(x.map((v) => resolve(v, depth + 1)));
    const o = x as Record<string, unknown>;
    const vals = await Promise.all(Object.keys(o).map((k) => resolve(o[k], depth + 1)));
    return Object.fromEntries(Object.keys(o).map((k, i) => [k, vals[i]]));
  };

  return Promise.all(roots.map((r) => resolve(r, 0)));
}
