/** The Explode step of a pipeline: evaluates a select whose one exploded expression multiplies rows. */
import type { Batch } from '../../../core/types.js';
import { exprName, unalias, type ExprNode } from '../../../core/expr/node.js';
import { evalExpr } from '../eval/index.js';
import { takeColumn } from '../../column/take.js';
import { splitExplode } from './split-explode.js';
import { plain } from '../../column/dict.js';

/**
 * Runs `exprs` over `b`, where `exprs[at]` is `explode(str.split(x, sep))` (optionally
 * aliased): one output row per piece, the other expressions' values repeated.
 * @example explodeBatch(batch, [{ k: 'explode', a: { k: 'split', a: { k: 'col', name: 'line' }, sep: { literal: ' ' } } }], 0)
 */
export function explodeBatch(b: Batch, exprs: ExprNode[], at: number): Batch {
  const x = unalias(exprs[at]);
  if (x.k !== 'explode' || x.a.k !== 'split') throw new Error('internal: explode step without explode(split(...))');
  const { out, rows } = splitExplode(plain(evalExpr(x.a.a, b)), x.a.sep);
  const columns: Batch['columns'] = {};
  exprs.forEach((e, i) => { columns[exprName(e)] = i === at ? out : takeColumn(evalExpr(e, b), rows); });
  return { length: out.length, columns };
}
