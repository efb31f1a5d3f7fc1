/**
 * Recognises the word-count shape and replaces it with one fused WordCount node:
 *
 *   Aggregate keys=[w] aggs=[count(*)]            WordCount [w, n] over x
 *     [Filter w != ""]                      =>       (input)
 *       Explode [explode(split(lower(x), /[^\p{L}]+/u)) AS w]
 *         (input)
 *
 * The fused kernel lowercases, splits and hashes UTF-8 bytes directly, with no string per
 * word occurrence. `valueCounts('w')` is the same Aggregate (followed by a sort), so it fuses too.
 */
import { exprName, unalias, type ExprNode } from '../../core/expr/node.js';
import type { LogicalPlan } from '../logical/nodes.js';
import { transformUp, type Rule } from './rule.js';

/** Separators equivalent to "runs of non-letters". */
const NON_LETTER_RUNS = new Set(['[^\\p{L}]+', '\\P{L}+', '[\\P{L}]+']);

/** `x` when `e` is explode(split(lower(x), /[^\p{L}]+/u)), else undefined. */
function wordSource(e: ExprNode): ExprNode | undefined {
  const u = unalias(e);
  if (u.k !== 'explode' || u.a.k !== 'split') return undefined;
  const { sep, a } = u.a;
  if (!('regex' in sep) || !sep.flags.includes('u') || !NON_LETTER_RUNS.has(sep.regex)) return undefined;
  if (a.k !== 'str' || a.op !== 'lower') return undefined;
  return a.a;
}

const isEmptyString = (e: ExprNode) => e.k === 'lit' && e.value === '';
const isCol = (e: ExprNode, name: string) => e.k === 'col' && e.name === name;

/** True when `pred` is `word != ''` (either side). */
function dropsEmpty(pred: ExprNode, word: string): boolean {
  return pred.k === 'bin' && pred.op === 'ne' &&
    ((isCol(pred.l, word) && isEmptyString(pred.r)) || (isCol(pred.r, word) && isEmptyString(pred.l)));
}

function fuse(p: LogicalPlan): LogicalPlan | undefined {
  if (p.kind !== 'Aggregate' || p.keys.length !== 1 || p.aggs.length !== 1) return undefined;
  const word = p.keys[0], agg = unalias(p.aggs[0]);
  if (agg.k !== 'agg' || !(agg.fn === 'countAll' || (agg.fn === 'count' && agg.a && isCol(agg.a, word)))) return undefined;
  let below = p.input, dropEmpty = false;
  if (below.kind === 'Filter' && dropsEmpty(below.predicate, word)) { dropEmpty = true; below = below.input; }
  if (below.kind !== 'Explode' || below.exprs.length !== 1) return undefined;
  const source = wordSource(below.exprs[0]);
  if (!source || exprName(below.exprs[0]) !== word) return undefined;
  const count = p.aggs[0].k === 'alias' ? p.aggs[0].name : 'count';
  return { kind: 'WordCount', input: below.input, expr: source, word, count, dropEmpty };
}

export const wordCountFusion: Rule = {
  name: 'wordCountFusion',
  rewrite: (plan) => transformUp(plan, fuse),
};
