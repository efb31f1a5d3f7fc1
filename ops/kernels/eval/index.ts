/** Evaluates an expression tree over a batch, vectorised over typed arrays. */
import type { Batch, Column, DType, Schema } from '../../../core/types.js';
import { batchSchema, isNumericType } from '../../../core/types.js';
import { COMPARISON_OPS, formatExpr, type BinaryOp, type ExprNode } from '../../../core/expr/node.js';
import { PlanError } from '../../../core/errors.js';
import { exprType, litType } from '../../../planner/expr/typecheck.js';
import { constantColumn } from '../../column/build.js';
import { plain } from '../../column/dict.js';
import { arith, mathUnary, roundColumn } from './arith.js';
import { compareNumeric, compareUtf8 } from './compare.js';
import { isNullColumn, kleene, notColumn, select } from './logic.js';
import { strKernel } from './strings.js';
import { castColumn } from './cast.js';
import { boolColumn, temporalFromString } from './util.js';

const enc = new TextEncoder();

export { batchSchema };

/** A scalar number for a literal compared or combined with a column of `against` type. */
function scalarFor(node: ExprNode, against: DType): number | undefined {
  if (node.k !== 'lit' || node.value === null) return undefined;
  const v = node.value;
  if (typeof v === 'string' && (against === 'date' || against === 'timestamp')) {
    const x = temporalFromString(v, against);
    if (Number.isNaN(x)) throw new PlanError(`cannot compare a ${against} with ${JSON.stringify(v)}: expected an ISO date like "2001-01-31"`);
    return x;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/**
 * Evaluates `e` over `b`, returning a column of `b.length` rows. A column (or a renamed
 * column) comes back as it is, dictionary-encoded or not, so a projection keeps group keys and
 * inputs that sum/mean read by code encoded; inside an expression every column is read plain.
 */
export function evalExpr(e: ExprNode, b: Batch, schema: Schema = batchSchema(b)): Column {
  if (e.k === 'col') return b.columns[e.name];
  if (e.k === 'alias' && e.a.k === 'col') return b.columns[e.a.name];
  return evalNode(e, b, schema);
}

function evalNode(e: ExprNode, b: Batch, schema: Schema): Column {
  const n = b.length;
  switch (e.k) {
    case 'col': return plain(b.columns[e.name]);
    case 'alias': return evalNode(e.a, b, schema);
    case 'lit': return constantColumn(litType(e.value), e.value, n);
    case 'bin': {
      const lt = exprType(e.l, schema), rt = exprType(e.r, schema);
      if (e.op === 'and' || e.op === 'or') return kleene(e.op, evalNode(e.l, b, schema), evalNode(e.r, b, schema), n);
      const lNull = e.l.k === 'lit' && e.l.value === null, rNull = e.r.k === 'lit' && e.r.value === null;
      if (lNull || rNull) return constantColumn(exprType(e, schema), null, n);
      if (COMPARISON_OPS.has(e.op)) {
        if (lt === 'utf8' && rt === 'utf8') {
          if (e.r.k === 'lit') return compareUtf8(e.op, evalNode(e.l, b, schema), enc.encode(String(e.r.value)), n);
          if (e.l.k === 'lit') return compareUtf8(flip(e.op), evalNode(e.r, b, schema), enc.encode(String(e.l.value)), n);
          return compareUtf8(e.op, evalNode(e.l, b, schema), evalNode(e.r, b, schema), n);
        }
        const ls = scalarFor(e.l, rt), rs = scalarFor(e.r, lt);
        return compareNumeric(e.op, ls ?? evalNode(e.l, b, schema), rs ?? evalNode(e.r, b, schema), n);
      }
      const out = exprType(e, schema);
      const ls = scalarFor(e.l, rt), rs = scalarFor(e.r, lt);
      return arith(e.op, ls ?? evalNode(e.l, b, schema), rs ?? evalNode(e.r, b, schema), n, out);
    }
    case 'un': {
      const a = evalNode(e.a, b, schema);
      if (e.op === 'not') return notColumn(a);
      if (e.op === 'isNull' || e.op === 'isNotNull') return isNullColumn(a, e.op === 'isNotNull');
      return mathUnary(e.op, a, exprType(e, schema));
    }
    case 'round': return roundColumn(evalNode(e.a, b, schema), e.digits);
    case 'cast': return castColumn(evalNode(e.a, b, schema), e.to, `value of ${JSON.stringify(exprTypeName(e.a))}`);
    case 'fillNull': {
      const out = exprType(e, schema);
      const a = castColumn(evalNode(e.a, b, schema), out);
      if (!a.valid) return a;
      const v = castColumn(evalNode(e.v, b, schema), out);
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = a.valid[i] ^ 1;
      return select(mask, v, a, n);
    }
    case 'isIn': return isIn(evalNode(e.a, b, schema), e.values, n);
    case 'when': {
      const out = exprType(e, schema);
      let acc = castColumn(evalNode(e.otherwise, b, schema), out);
      for (let c = e.cases.length - 1; c >= 0; c--) {
        const [condE, thenE] = e.cases[c];
        const cond = evalNode(condE, b, schema);
        const mask = new Uint8Array(n);
        for (let i = 0; i < n; i++) mask[i] = cond.values[i] & (cond.valid ? cond.valid[i] : 1);
        acc = select(mask, castColumn(evalNode(thenE, b, schema), out), acc, n);
      }
      return acc;
    }
    case 'str': return strKernel(e.op, evalNode(e.a, b, schema), e.arg);
    case 'agg': throw new PlanError('an aggregation cannot be evaluated row by row; use it in groupBy().agg() or a select of aggregations only');
    case 'scan': throw new PlanError(`${formatExpr(e)} is a scan; scans run as their own plan step (select/withColumns), not inside another expression`);
    case 'split': case 'explode': throw new PlanError(`${formatExpr(e)} changes the number of rows; use .explode() at the top of a select`);
  }
}

const FLIPPED: Record<string, BinaryOp> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', eq: 'eq', ne: 'ne' };
const flip = (op: BinaryOp): BinaryOp => FLIPPED[op];

const exprTypeName = (e: ExprNode): string => (e.k === 'col' ? e.name : 'expression');

function isIn(a: Column, values: (string | number | boolean | bigint | null)[], n: number): Column {
  const out = new Uint8Array(n);
  if (a.type === 'utf8') {
    const set = new Set(values.filter((v) => v !== null).map(String));
    const dec = new TextDecoder(), off = a.offsets!, src = a.values as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = set.has(dec.decode(src.subarray(off[i], off[i + 1]))) ? 1 : 0;
  } else {
    const nums = values.filter((v) => v !== null).map((v) => (typeof v === 'string' && (a.type === 'date' || a.type === 'timestamp') ? temporalFromString(v, a.type) : Number(v)));
    const set = new Set(nums);
    const src = a.values;
    if (isNumericType(a.type) || a.type === 'bool' || a.type === 'date' || a.type === 'timestamp') for (let i = 0; i < n; i++) out[i] = set.has(src[i]) ? 1 : 0;
  }
  return boolColumn(out, a.valid ? a.valid.slice() : undefined);
}
