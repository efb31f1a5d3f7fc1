/**
 * Rebuilding shipped functions from their source text, as workers do. Kept apart from the
 * parser so a worker never loads it.
 */

/**
 * How the source text becomes a function value again: as an expression, or as an object-literal method.
 * @example const f: FunctionForm = 'method'; // for `double(x) { return 2 * x; }`
 */
export type FunctionForm = 'expression' | 'method';

/**
 * The text a worker evaluates to get the function back: arrow and function expressions are
 * parenthesized; method shorthand (`foo(x) { ... }`) only parses inside an object literal.
 * @example wrapSource('x => x + 1', 'expression') // '(x => x + 1\n)'
 */
export function wrapSource(src: string, form: FunctionForm): string {
  return form === 'expression' ? `(${src}\n)` : `({${src}\n})`;
}

/**
 * A function in transit: plain data, structured-cloneable.
 * @example const s: ShippedFn = { source: '(x) => x + 1', form: 'expression', name: '' };
 */
export interface ShippedFn {
  source: string;
  form: FunctionForm;
  /** the function's own name, for messages ('' when anonymous) */
  name: string;
}

/**
 * Any function a user hands to a bag, delayed or map call.
 * @example const f: UserFunction = (x: number, ctx: { k: number }) => x * ctx.k;
 */
export type UserFunction = (...args: any[]) => unknown;

const cache = new Map<string, UserFunction>();
const CACHE_LIMIT = 512;

/**
 * Rebuilds a shipped function (in a worker, or in this thread for the `sync` scheduler).
 * Strict mode, as in the ES modules most user code is written in.
 * @example rebuildFunction({ source: 'x => x + 1', form: 'expression', name: '' })(1) // 2
 */
export function rebuildFunction(s: ShippedFn): UserFunction {
  const key = `${s.form}:${s.source}`;
  let f = cache.get(key);
  if (f) return f;
  const text = wrapSource(s.source, s.form);
  const body = s.form === 'expression'
    ? `"use strict"; return ${text};`
    : `"use strict"; const o = ${text}; return o[Reflect.ownKeys(o)[0]];`;
  f = new Function(body)() as UserFunction;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, f);
  return f;
}

