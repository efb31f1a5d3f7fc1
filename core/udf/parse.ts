/**
 * Parses the source text of a user function (what `fn.toString()` returns) into its syntax
 * tree, so its free variables can be found before it is shipped to worker threads.
 */
import { parse, type ArrowFunctionExpression, type FunctionExpression, type Program } from 'acorn';
import { wrapSource, type FunctionForm } from './rebuild.js';

/**
 * A parsed function: its tree and how a worker rebuilds it from the text.
 * @example const { node, form } = parseFunctionSource('foo(x) { return x; }'); // form 'method'
 */
export interface ParsedFunction {
  node: FunctionExpression | ArrowFunctionExpression;
  form: FunctionForm;
}

/**
 * Why a source text is not a shippable function (message for the user, without the call site).
 * @example try { parseFunctionSource(src); } catch (e) { if (e instanceof UnshippableSource) ... }
 */
export class UnshippableSource extends Error {}

const parseScript = (text: string): Program | undefined => {
  try {
    return parse(text, { ecmaVersion: 'latest', sourceType: 'script' });
  } catch {
    return undefined;
  }
};

/**
 * Parses `src` as an arrow function, a function expression (named, async, generator) or a
 * method shorthand. Classes, getters/setters and native functions are refused.
 * @example parseFunctionSource('(x, ctx) => x * ctx.k').node.params.length // 2
 */
export function parseFunctionSource(src: string): ParsedFunction {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    throw new UnshippableSource('it is a native or bound function (its source text is "[native code]"); wrap it: (x) => fn(x)');
  }
  if (/^\s*class\b/.test(src)) throw new UnshippableSource('it is a class; pass a function');
  const asExpr = parseScript(wrapSource(src, 'expression'));
  const stmt = asExpr?.body.length === 1 ? asExpr.body[0] : undefined;
  if (stmt?.type === 'ExpressionStatement') {
    const e = stmt.expression;
    // the whole text must be that one function: guards against sources that close the parenthesis themselves
    if ((e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') && e.start === 1 && e.end === 1 + src.length) {
      return { node: e, form: 'expression' };
    }
  }
  const asMethod = parseScript(wrapSource(src, 'method'));
  const m = asMethod?.body.length === 1 ? asMethod.body[0] : undefined;
  if (m?.type === 'ExpressionStatement' && m.expression.type === 'ObjectExpression' && m.expression.properties.length === 1) {
    const p = m.expression.properties[0];
    if (p.type === 'Property' && p.start === 2 && p.end === 2 + src.length) {
      if (p.kind !== 'init') throw new UnshippableSource(`it is a ${p.kind}ter; pass a function`);
      if (p.method && p.value.type === 'FunctionExpression') return { node: p.value, form: 'method' };
    }
  }
  throw new UnshippableSource('its source text does not parse as a function expression');
}
