/**
 * The expression IR: plain JSON, so an expression tree ships to a worker as part of a
 * fragment. {@link Expr} (core/expr/expr.ts) is the user-facing builder around it.
 */
import type { DType } from '../types.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne' | 'and' | 'or';
export type UnaryOp = 'neg' | 'abs' | 'sqrt' | 'exp' | 'log' | 'sin' | 'cos' | 'floor' | 'ceil' | 'not' | 'isNull' | 'isNotNull';
export type StrOp = 'lower' | 'upper' | 'len' | 'contains' | 'startsWith' | 'endsWith' | 'strip';
export type AggFnName = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'countAll' | 'nUnique' | 'std' | 'var' | 'first' | 'last';

export type Literal = number | string | boolean | null | bigint;

/** Scans: running aggregates in source row order. `custom` carries a user op shipped as source text. */
export type ScanFnName = 'sum' | 'prod' | 'min' | 'max' | 'count' | 'custom';
export interface CustomScan { identity: number; op: string }

export type ExprNode =
  | { k: 'col'; name: string }
  | { k: 'lit'; value: Literal }
  | { k: 'bin'; op: BinaryOp; l: ExprNode; r: ExprNode }
  | { k: 'un'; op: UnaryOp; a: ExprNode }
  | { k: 'round'; a: ExprNode; digits: number }
  | { k: 'fillNull'; a: ExprNode; v: ExprNode }
  | { k: 'isIn'; a: ExprNode; values: Literal[] }
  | { k: 'cast'; a: ExprNode; to: DType }
  | { k: 'alias'; a: ExprNode; name: string }
  | { k: 'when'; cases: [ExprNode, ExprNode][]; otherwise: ExprNode }
  | { k: 'str'; op: StrOp; a: ExprNode; arg?: string }
  | { k: 'agg'; fn: AggFnName; a?: ExprNode; ddof?: number }
  | { k: 'scan'; fn: ScanFnName; a: ExprNode; over?: string[]; custom?: CustomScan }
  /** a list of strings: `a` split on `sep` (a plain string, or a regular expression's source and flags) */
  | { k: 'split'; a: ExprNode; sep: SplitSep }
  /** one row per element of a list (`split`); only at the top of a select expression */
  | { k: 'explode'; a: ExprNode };

/** A split separator: a literal string, or a JS regular expression as source + flags. */
export type SplitSep = { literal: string } | { regex: string; flags: string };

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['gt', 'ge', 'lt', 'le', 'eq', 'ne']);
export const ARITH_OPS: ReadonlySet<BinaryOp> = new Set(['add', 'sub', 'mul', 'div', 'mod']);

/** Column names an expression reads. */
export function exprColumns(e: ExprNode, into: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'col': into.add(e.name); break;
    case 'lit': break;
    case 'bin': exprColumns(e.l, into); exprColumns(e.r, into); break;
    case 'fillNull': exprColumns(e.a, into); exprColumns(e.v, into); break;
    case 'when': for (const [c, t] of e.cases) { exprColumns(c, into); exprColumns(t, into); } exprColumns(e.otherwise, into); break;
    case 'agg': if (e.a) exprColumns(e.a, into); break;
    case 'scan': exprColumns(e.a, into); for (const k of e.over ?? []) into.add(k); break;
    default: exprColumns(e.a, into);
  }
  return into;
}

/** True when the tree contains a node of kind `k`. */
function contains(e: ExprNode, k: 'agg' | 'scan' | 'explode'): boolean {
  if (e.k === k) return true;
  switch (e.k) {
    case 'col': case 'lit': return false;
    case 'bin': return contains(e.l, k) || contains(e.r, k);
    case 'fillNull': return contains(e.a, k) || contains(e.v, k);
    case 'when': return e.cases.some(([c, t]) => contains(c, k) || contains(t, k)) || contains(e.otherwise, k);
    case 'agg': return e.a ? contains(e.a, k) : false;
    default: return contains(e.a, k);
  }
}

/** True when the tree contains a scan (cumSum ...). */
export const hasScan = (e: ExprNode): boolean => contains(e, 'scan');

/** True when the tree contains an explode (a row-count-changing step). */
export const hasExplode = (e: ExprNode): boolean => contains(e, 'explode');

/** True when the tree contains an aggregation. */
export function hasAgg(e: ExprNode): boolean {
  return contains(e, 'agg');
}

/**
 * The output name of an expression, following Polars: an alias wins, otherwise the first
 * column the expression reads ('literal' for a bare literal, 'count' for count(*)).
 */
export function exprName(e: ExprNode): string {
  switch (e.k) {
    case 'alias': return e.name;
    case 'col': return e.name;
    case 'lit': return 'literal';
    case 'agg': return e.a ? exprName(e.a) : 'count';
    case 'bin': return e.l.k === 'lit' && e.r.k !== 'lit' ? exprName(e.r) : exprName(e.l);
    case 'fillNull': return exprName(e.a);
    case 'when': return exprName(e.cases[0][1]);
    default: return exprName(e.a);
  }
}

/** A copy of `e` with `f` applied to each direct child expression (leaves are returned as they are). */
export function mapChildren(e: ExprNode, f: (child: ExprNode) => ExprNode): ExprNode {
  switch (e.k) {
    case 'col': case 'lit': return e;
    case 'bin': return { ...e, l: f(e.l), r: f(e.r) };
    case 'fillNull': return { ...e, a: f(e.a), v: f(e.v) };
    case 'when': return { ...e, cases: e.cases.map(([c, t]): [ExprNode, ExprNode] => [f(c), f(t)]), otherwise: f(e.otherwise) };
    case 'agg': return e.a ? { ...e, a: f(e.a) } : e;
    default: return { ...e, a: f(e.a) };
  }
}

/** Removes a top-level alias. */
export const unalias = (e: ExprNode): ExprNode => (e.k === 'alias' ? unalias(e.a) : e);

const fmtLit = (v: Literal): string => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : String(v));
const SYM: Partial<Record<BinaryOp, string>> = { add: '+', sub: '-', mul: '*', div: '/', mod: '%', gt: '>', ge: '>=', lt: '<', le: '<=', eq: '==', ne: '!=', and: 'AND', or: 'OR' };

/** Human-readable form used by explain(). */
export function formatExpr(e: ExprNode): string {
  switch (e.k) {
    case 'col': return e.name;
    case 'lit': return fmtLit(e.value);
    case 'bin': return `(${formatExpr(e.l)} ${SYM[e.op]} ${formatExpr(e.r)})`;
    case 'un': return `${e.op}(${formatExpr(e.a)})`;
    case 'round': return `round(${formatExpr(e.a)}, ${e.digits})`;
    case 'fillNull': return `fill_null(${formatExpr(e.a)}, ${formatExpr(e.v)})`;
    case 'isIn': return `${formatExpr(e.a)} IN [${e.values.map(fmtLit).join(', ')}]`;
    case 'cast': return `cast(${formatExpr(e.a)} AS ${e.to})`;
    case 'alias': return `${formatExpr(e.a)} AS ${e.name}`;
    case 'when': return `CASE ${e.cases.map(([c, t]) => `WHEN ${formatExpr(c)} THEN ${formatExpr(t)}`).join(' ')} ELSE ${formatExpr(e.otherwise)} END`;
    case 'str': return `str.${e.op}(${formatExpr(e.a)}${e.arg !== undefined ? ', ' + JSON.stringify(e.arg) : ''})`;
    case 'agg': return e.fn === 'countAll' ? 'count(*)' : `${e.fn}(${e.a ? formatExpr(e.a) : ''}${e.ddof !== undefined && e.ddof !== 1 ? `, ddof=${e.ddof}` : ''})`;
    case 'scan': return `cum_${e.fn}(${formatExpr(e.a)})${e.over?.length ? ` OVER (${e.over.join(', ')})` : ''}`;
    case 'split': return `str.split(${formatExpr(e.a)}, ${formatSep(e.sep)})`;
    case 'explode': return `explode(${formatExpr(e.a)})`;
  }
}

/** A separator as explain() prints it: a quoted string or /regex/flags. */
export const formatSep = (s: SplitSep): string => ('literal' in s ? JSON.stringify(s.literal) : `/${s.regex}/${s.flags}`);
