/** The user-facing expression builder (API.md "Expressions"). */
import type { DType } from '../types.js';
import { PlanError } from '../errors.js';
import type { AggFnName, BinaryOp, ExprNode, Literal, StrOp, UnaryOp } from './node.js';
import { formatExpr } from './node.js';

export type ExprLike = Expr | Literal;

const toNode = (x: ExprLike): ExprNode => (x instanceof Expr ? x.node : { k: 'lit', value: x });

/**
 * A lazy column expression. Build with {@link col}, {@link lit}, {@link count}, {@link when}.
 * @example
 * ts.col('delay').gt(0).and(ts.col('origin').eq('SFO'))
 */
export class Expr {
  constructor(readonly node: ExprNode) {}
  private bin(op: BinaryOp, x: ExprLike): Expr { return new Expr({ k: 'bin', op, l: this.node, r: toNode(x) }); }
  private un(op: UnaryOp): Expr { return new Expr({ k: 'un', op, a: this.node }); }
  private agg(fn: AggFnName, ddof?: number): Expr { return new Expr({ k: 'agg', fn, a: this.node, ...(ddof !== undefined ? { ddof } : {}) }); }

  add(x: ExprLike): Expr { return this.bin('add', x); }
  sub(x: ExprLike): Expr { return this.bin('sub', x); }
  mul(x: ExprLike): Expr { return this.bin('mul', x); }
  div(x: ExprLike): Expr { return this.bin('div', x); }
  mod(x: ExprLike): Expr { return this.bin('mod', x); }
  gt(x: ExprLike): Expr { return this.bin('gt', x); }
  ge(x: ExprLike): Expr { return this.bin('ge', x); }
  lt(x: ExprLike): Expr { return this.bin('lt', x); }
  le(x: ExprLike): Expr { return this.bin('le', x); }
  eq(x: ExprLike): Expr { return this.bin('eq', x); }
  ne(x: ExprLike): Expr { return this.bin('ne', x); }
  and(x: ExprLike): Expr { return this.bin('and', x); }
  or(x: ExprLike): Expr { return this.bin('or', x); }
  neg(): Expr { return this.un('neg'); }
  abs(): Expr { return this.un('abs'); }
  sqrt(): Expr { return this.un('sqrt'); }
  exp(): Expr { return this.un('exp'); }
  log(): Expr { return this.un('log'); }
  sin(): Expr { return this.un('sin'); }
  cos(): Expr { return this.un('cos'); }
  floor(): Expr { return this.un('floor'); }
  ceil(): Expr { return this.un('ceil'); }
  not(): Expr { return this.un('not'); }
  isNull(): Expr { return this.un('isNull'); }
  isNotNull(): Expr { return this.un('isNotNull'); }
  /** Rounds half away from zero to `digits` decimals (default 0). */
  round(digits = 0): Expr { return new Expr({ k: 'round', a: this.node, digits }); }
  fillNull(v: ExprLike): Expr { return new Expr({ k: 'fillNull', a: this.node, v: toNode(v) }); }
  isIn(values: Literal[]): Expr {
    if (!Array.isArray(values)) throw new PlanError(`isIn expects an array of values, got ${typeof values}`);
    return new Expr({ k: 'isIn', a: this.node, values: [...values] });
  }
  cast(dtype: DType): Expr { return new Expr({ k: 'cast', a: this.node, to: dtype }); }
  alias(name: string): Expr { return new Expr({ k: 'alias', a: this.node, name }); }

  sum(): Expr { return this.agg('sum'); }
  mean(): Expr { return this.agg('mean'); }
  min(): Expr { return this.agg('min'); }
  max(): Expr { return this.agg('max'); }
  /** Number of non-null values. */
  count(): Expr { return this.agg('count'); }
  nUnique(): Expr { return this.agg('nUnique'); }
  std(ddof = 1): Expr { return this.agg('std', ddof); }
  var(ddof = 1): Expr { return this.agg('var', ddof); }
  /** First non-null value in source order. */
  first(): Expr { return this.agg('first'); }
  /** Last non-null value in source order. */
  last(): Expr { return this.agg('last'); }

  /** Running sum in source row order; nulls are skipped (output null, running value unchanged). */
  cumSum(): Expr { return this.scan('sum'); }
  /** Running product in source row order (nulls skipped). */
  cumProd(): Expr { return this.scan('prod'); }
  /** Running minimum in source row order (nulls skipped). */
  cumMin(): Expr { return this.scan('min'); }
  /** Running maximum in source row order (nulls skipped). */
  cumMax(): Expr { return this.scan('max'); }
  /** Running count of non-null values (never null). */
  cumCount(): Expr { return this.scan('count'); }
  private scan(fn: 'sum' | 'prod' | 'min' | 'max' | 'count'): Expr { return new Expr({ k: 'scan', fn, a: this.node }); }

  /**
   * Makes a scan run per group: one running value per key.
   * @example ts.col('x').cumSum().over('k')
   */
  over(...keys: string[]): Expr {
    const ks = keys.flat();
    if (this.node.k !== 'scan') throw new PlanError(`over() applies to a scan such as col('x').cumSum(); got ${formatExpr(this.node)}`);
    if (!ks.length) throw new PlanError('over() needs at least one key column');
    return new Expr({ ...this.node, over: ks });
  }

  /**
   * One row per element of a list (from `str.split`); other selected columns repeat. A null
   * input produces no rows (as SQL unnest); an empty string produces one empty string.
   * @example df.select(ts.col('tags').str.split(',').explode().alias('tag'))
   */
  explode(): Expr {
    if (this.node.k !== 'split') throw new PlanError(`explode() applies to a list such as col('s').str.split(','); got ${formatExpr(this.node)}`);
    return new Expr({ k: 'explode', a: this.node });
  }

  /** String functions. */
  get str(): StrNamespace { return new StrNamespace(this.node); }

  toString(): string { return formatExpr(this.node); }
}

/** `e.str.*` string functions; they work on UTF-8 bytes. */
export class StrNamespace {
  constructor(private readonly node: ExprNode) {}
  private op(op: StrOp, arg?: string): Expr {
    if (arg !== undefined && typeof arg !== 'string') throw new PlanError(`str.${op} expects a string argument, got ${typeof arg}`);
    return new Expr({ k: 'str', op, a: this.node, ...(arg !== undefined ? { arg } : {}) });
  }
  /** ASCII and Unicode lowercase. */
  lower(): Expr { return this.op('lower'); }
  upper(): Expr { return this.op('upper'); }
  /** Length in characters (code points). */
  len(): Expr { return this.op('len'); }
  contains(s: string): Expr { return this.op('contains', s); }
  startsWith(s: string): Expr { return this.op('startsWith', s); }
  endsWith(s: string): Expr { return this.op('endsWith', s); }
  /** Removes leading and trailing whitespace. */
  strip(): Expr { return this.op('strip'); }
  /**
   * Splits into a list of strings on a literal separator or a regular expression (JS
   * `String.prototype.split` semantics: empty pieces are kept). The list must be exploded
   * into rows with `.explode()` at the top of a select.
   * @example df.select(ts.col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'))
   */
  split(sep: string | RegExp): Expr {
    if (typeof sep === 'string') {
      if (sep === '') throw new PlanError('str.split() needs a non-empty separator');
      return new Expr({ k: 'split', a: this.node, sep: { literal: sep } });
    }
    if (!(sep instanceof RegExp)) throw new PlanError(`str.split() expects a string or a RegExp, got ${typeof sep}`);
    if (new RegExp(`${sep.source}|`).exec('')!.length > 1) throw new PlanError(`str.split(${sep}): capture groups are not supported in the separator; use (?:...)`);
    return new Expr({ k: 'split', a: this.node, sep: { regex: sep.source, flags: sep.flags.replace(/[gy]/g, '') } });
  }
}

/**
 * A column reference.
 * @example ts.col('delay').mean()
 */
export const col = (name: string): Expr => {
  if (typeof name !== 'string') throw new PlanError(`col() expects a column name string, got ${typeof name}`);
  return new Expr({ k: 'col', name });
};
/** A literal value. @example ts.lit(1) */
export const lit = (value: Literal): Expr => new Expr({ k: 'lit', value });
/** count(*): the number of rows. @example df.groupBy('k').agg({ n: ts.count() }) */
export const count = (): Expr => new Expr({ k: 'agg', fn: 'countAll' });

/** Start of a conditional: `when(cond).then(a).otherwise(b)`. */
export function when(cond: ExprLike): When { return new When([], toNode(cond)); }

class When {
  constructor(private readonly cases: [ExprNode, ExprNode][], private readonly cond: ExprNode) {}
  then(v: ExprLike): Then { return new Then([...this.cases, [this.cond, toNode(v)]]); }
}
class Then {
  constructor(private readonly cases: [ExprNode, ExprNode][]) {}
  when(cond: ExprLike): When { return new When(this.cases, toNode(cond)); }
  otherwise(v: ExprLike): Expr { return new Expr({ k: 'when', cases: this.cases, otherwise: toNode(v) }); }
}

/**
 * A running scan with a user-supplied associative operator, in source row order: the output at
 * row i is op(...op(op(identity, x0), x1)..., xi) over the non-null values. `op` runs in worker
 * threads: it travels as source text, so it must not use variables from outside its body.
 * @example ts.scan(ts.col('x'), { identity: 0, op: (a, b) => Math.max(a, b) + 1 })
 */
export function scan(e: Expr, opts: { identity: number; op: (a: number, b: number) => number }): Expr {
  if (!(e instanceof Expr)) throw new PlanError('scan() expects an expression as its first argument');
  if (typeof opts?.op !== 'function') throw new PlanError(`scan(): op must be a function (a, b) => number, got ${typeof opts?.op}`);
  if (typeof opts.identity !== 'number') throw new PlanError(`scan(): identity must be a number, got ${typeof opts.identity}`);
  const op = opts.op.toString();
  checkShippable(op, opts.identity);
  return new Expr({ k: 'scan', fn: 'custom', a: e.node, custom: { identity: opts.identity, op } });
}

/** Rebuilds a function from its source text, as a worker does. */
export function compileOp(src: string): (a: number, b: number) => number {
  // method shorthand `op(a, b) { ... }` is not an expression on its own
  const text = /^\s*(async\s+)?[A-Za-z_$][\w$]*\s*\(/.test(src) && !/^\s*function\b/.test(src) ? `function ${src}` : src;
  return new Function(`"use strict"; return (${text});`)() as (a: number, b: number) => number;
}

/** Rejects an op that will not work once shipped: not a function, or reading outer variables. */
function checkShippable(src: string, identity: number): void {
  let f: (a: number, b: number) => number;
  try { f = compileOp(src); } catch (err) { throw new PlanError(`scan(): op cannot be rebuilt from its source text: ${(err as Error).message}`); }
  try { f(identity, 1); f(1, 2); } catch (err) {
    if (err instanceof ReferenceError) {
      const name = /([\w$]+) is not defined/.exec(err.message)?.[1] ?? 'a variable';
      throw new PlanError(`scan(): op uses "${name}" from outside its body; functions run in worker threads and cannot capture variables (inline the value)`);
    }
  }
}

/** Accepts a column name or an expression. */
export const toExpr = (x: string | Expr): Expr => (typeof x === 'string' ? col(x) : x);
