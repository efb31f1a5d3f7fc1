/**
 * Shipping user functions to worker threads: a function travels as its source text and is
 * rebuilt there, so it sees globals only. Everything that would break once shipped (captured
 * variables, native or bound functions, classes) is refused here, when the call is made,
 * rather than deep inside a worker later.
 */
import { PlanError } from '../errors.js';
import { freeIdentifiers } from './free-vars.js';
import { isGlobalName } from './globals.js';
import { parseFunctionSource, UnshippableSource } from './parse.js';
import { rebuildFunction, type ShippedFn } from './rebuild.js';

export { rebuildFunction, type ShippedFn, type UserFunction } from './rebuild.js';

/**
 * Checks that `fn` can run in a worker thread and returns its shipped form. `what` names the
 * call in messages (e.g. `bag.map()`). A function that uses a variable from outside its body
 * is refused with a PlanError naming the variable and pointing to `{ context }`.
 * @example
 * shipFunction((x, ctx) => x * ctx.k, 'bag.map()');   // ok
 * const k = 2; shipFunction((x) => x * k, 'bag.map()'); // PlanError naming "k"
 */
export function shipFunction(fn: unknown, what: string): ShippedFn {
  if (typeof fn !== 'function') throw new PlanError(`${what} expects a function, got ${fn === null ? 'null' : typeof fn}`);
  const source = Function.prototype.toString.call(fn);
  let parsed;
  try {
    parsed = parseFunctionSource(source);
  } catch (e) {
    if (e instanceof UnshippableSource) throw new PlanError(`${what}: the function cannot run in a worker thread: ${e.message}`);
    throw e;
  }
  const captured = freeIdentifiers(parsed.node).filter((n) => !isGlobalName(n));
  if (captured.length) {
    const names = captured.map((n) => `"${n}"`).join(', ');
    throw new PlanError(
      `${what}: the function uses ${names} from outside its body. Functions run in worker threads and travel as source text, `
      + `so they cannot capture variables; pass ${captured.length > 1 ? 'them' : 'it'} via { context } and read it from the context argument, `
      + `e.g. (x, ctx) => ... ctx.${captured[0]} with { context: { ${captured[0]} } }`,
    );
  }
  const shipped: ShippedFn = { source, form: parsed.form, name: (fn as { name?: string }).name ?? '' };
  try {
    rebuildFunction(shipped);
  } catch (e) {
    throw new PlanError(`${what}: the function cannot be rebuilt from its source text (it is compiled in strict mode in the worker): ${(e as Error).message}`, { cause: e });
  }
  return shipped;
}

/**
 * Checks a `context` value can be structured-cloned to workers and returns the snapshot taken
 * now, so later changes to the caller's object do not leak into a lazy computation.
 * @example const ctx = shipContext({ k: 2 }, 'bag.map()');
 */
export function shipContext<T>(context: T, what: string): T {
  if (context === undefined) return context;
  try {
    return structuredClone(context);
  } catch (e) {
    throw new PlanError(`${what}: context cannot be sent to worker threads (it must be structured-cloneable: plain data, no functions): ${(e as Error).message}`, { cause: e });
  }
}
