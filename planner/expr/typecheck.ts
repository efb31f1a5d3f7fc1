/** Result types of expressions, and the checks that reject ill-typed ones before anything runs. */
import { SchemaError } from '../../core/errors.js';
import { isIntegerType, isNumericType, type DType, type Schema } from '../../core/types.js';
import { ARITH_OPS, COMPARISON_OPS, formatExpr, type ExprNode, type Literal } from '../../core/expr/node.js';

export function litType(v: Literal): DType {
  if (v === null) return 'float64';
  if (typeof v === 'string') return 'utf8';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'int64' : 'float64';
}

const temporal = (t: DType) => t === 'date' || t === 'timestamp';

/** Unknown column: names it and lists the valid ones. */
export function unknownColumn(name: string, schema: Schema): SchemaError {
  const names = Object.keys(schema);
  const near = names.filter((n) => n.toLowerCase() === name.toLowerCase());
  return new SchemaError(`unknown column "${name}"; valid columns: ${names.map((n) => JSON.stringify(n)).join(', ')}` +
    (near.length ? ` (did you mean "${near[0]}"?)` : ''));
}

/** Numeric result type of an arithmetic op on two numeric types. */
function arithType(op: string, a: DType, b: DType): DType {
  if (op === 'div') return 'float64';
  if (isIntegerType(a) && isIntegerType(b)) return 'int64';
  return 'float64';
}

/** Whether two types can be compared (a string literal compares with dates/timestamps). */
function comparable(a: DType, b: DType, l: ExprNode, r: ExprNode): boolean {
  if (a === b) return true;
  if (isNumericType(a) && isNumericType(b)) return true;
  if (temporal(a) && (b === 'utf8' && r.k === 'lit')) return true;
  if (temporal(b) && (a === 'utf8' && l.k === 'lit')) return true;
  if (temporal(a) && temporal(b)) return true;
  if ((l.k === 'lit' && l.value === null) || (r.k === 'lit' && r.value === null)) return true;
  return false;
}

/** The dtype an expression produces over `schema`; throws SchemaError on unknown columns or type mismatches. */
export function exprType(e: ExprNode, schema: Schema): DType {
  switch (e.k) {
    case 'col': {
      const t = schema[e.name];
      if (t === undefined) throw unknownColumn(e.name, schema);
      return t;
    }
    case 'lit': return litType(e.value);
    case 'alias': return exprType(e.a, schema);
    case 'bin': {
      const a = exprType(e.l, schema), b = exprType(e.r, schema);
      if (ARITH_OPS.has(e.op)) {
        const nl = e.l.k === 'lit' && e.l.value === null, nr = e.r.k === 'lit' && e.r.value === null;
        if ((!isNumericType(a) && !nl) || (!isNumericType(b) && !nr)) {
          throw new SchemaError(`type mismatch in ${formatExpr(e)}: ${e.op} needs numbers, got ${a} and ${b}` +
            (a === 'utf8' || b === 'utf8' ? '; hint: cast a numeric string with .cast(\'float64\')' : ''));
        }
        return arithType(e.op, a, b);
      }
      if (COMPARISON_OPS.has(e.op)) {
        if (!comparable(a, b, e.l, e.r)) throw new SchemaError(`type mismatch in ${formatExpr(e)}: cannot compare ${a} with ${b}`);
        return 'bool';
      }
      if (a !== 'bool' || b !== 'bool') throw new SchemaError(`type mismatch in ${formatExpr(e)}: ${e.op} needs booleans, got ${a} and ${b}`);
      return 'bool';
    }
    case 'un': {
      const t = exprType(e.a, schema);
      if (e.op === 'isNull' || e.op === 'isNotNull') return 'bool';
      if (e.op === 'not') {
        if (t !== 'bool') throw new SchemaError(`type mismatch in ${formatExpr(e)}: not needs a boolean, got ${t}`);
        return 'bool';
      }
      if (!isNumericType(t)) throw new SchemaError(`type mismatch in ${formatExpr(e)}: ${e.op} needs a number, got ${t}`);
      if (e.op === 'neg' || e.op === 'abs') return isIntegerType(t) ? 'int64' : 'float64';
      if ((e.op === 'floor' || e.op === 'ceil') && isIntegerType(t)) return t;
      return 'float64';
    }
    case 'round': {
      const t = exprType(e.a, schema);
      if (!isNumericType(t)) throw new SchemaError(`type mismatch in ${formatExpr(e)}: round needs a number, got ${t}`);
      return isIntegerType(t) ? t : 'float64';
    }
    case 'fillNull': {
      const a = exprType(e.a, schema), b = exprType(e.v, schema);
      if (a === b) return a;
      if (isNumericType(a) && isNumericType(b)) return isIntegerType(a) && isIntegerType(b) ? 'int64' : 'float64';
      throw new SchemaError(`type mismatch in ${formatExpr(e)}: cannot fill ${a} nulls with ${b}`);
    }
    case 'isIn': {
      const t = exprType(e.a, schema);
      for (const v of e.values) {
        const vt = litType(v);
        if (v !== null && !comparable(t, vt, e.a, { k: 'lit', value: v })) throw new SchemaError(`type mismatch in ${formatExpr(e)}: ${t} value list contains ${vt} ${JSON.stringify(String(v))}`);
      }
      return 'bool';
    }
    case 'cast': exprType(e.a, schema); return e.to;
    case 'when': {
      let out: DType | undefined;
      for (const [c, t] of e.cases) {
        const ct = exprType(c, schema);
        if (ct !== 'bool') throw new SchemaError(`type mismatch in ${formatExpr(e)}: a when() condition must be boolean, got ${ct}`);
        out = unify(out, exprType(t, schema), t, e);
      }
      return unify(out, exprType(e.otherwise, schema), e.otherwise, e)!;
    }
    case 'str': {
      const t = exprType(e.a, schema);
      if (t !== 'utf8') throw new SchemaError(`type mismatch in ${formatExpr(e)}: str.${e.op} needs utf8, got ${t}`);
      if (e.op === 'len') return 'int64';
      if (e.op === 'contains' || e.op === 'startsWith' || e.op === 'endsWith') return 'bool';
      return 'utf8';
    }
    case 'split': throw new SchemaError(`${formatExpr(e)} is a list; turn it into rows with .explode() at the top of a select`);
    case 'explode': {
      if (e.a.k !== 'split') throw new SchemaError(`${formatExpr(e)}: explode() applies to str.split()`);
      const t = exprType(e.a.a, schema);
      if (t !== 'utf8') throw new SchemaError(`type mismatch in ${formatExpr(e.a)}: str.split needs utf8, got ${t}`);
      return 'utf8';
    }
    case 'scan': {
      const t = exprType(e.a, schema);
      for (const k of e.over ?? []) if (!(k in schema)) throw unknownColumn(k, schema);
      if (e.fn === 'count') return 'int64';
      if (!isNumericType(t) && !(t === 'bool' && e.fn === 'sum') && !((e.fn === 'min' || e.fn === 'max') && (t === 'date' || t === 'timestamp'))) {
        throw new SchemaError(`type mismatch in ${formatExpr(e)}: cum_${e.fn} needs numbers, got ${t}`);
      }
      if (e.fn === 'custom') return 'float64';
      if (e.fn === 'min' || e.fn === 'max') return t;
      return isIntegerType(t) || t === 'bool' ? 'int64' : 'float64';
    }
    case 'agg': {
      if (e.fn === 'countAll') return 'int64';
      const t = exprType(e.a!, schema);
      switch (e.fn) {
        case 'count': case 'nUnique': return 'int64';
        case 'sum':
          if (!isNumericType(t) && t !== 'bool') throw new SchemaError(`type mismatch in ${formatExpr(e)}: sum needs numbers, got ${t}`);
          return isIntegerType(t) || t === 'bool' ? 'int64' : 'float64';
        case 'mean': case 'std': case 'var':
          if (!isNumericType(t) && t !== 'bool') throw new SchemaError(`type mismatch in ${formatExpr(e)}: ${e.fn} needs numbers, got ${t}`);
          return 'float64';
        default: return t;
      }
    }
  }
}

function unify(prev: DType | undefined, next: DType, node: ExprNode, whole: ExprNode): DType {
  const isNull = node.k === 'lit' && node.value === null;
  if (prev === undefined) return next;
  if (isNull || prev === next) return prev;
  if (isNumericType(prev) && isNumericType(next)) return isIntegerType(prev) && isIntegerType(next) ? 'int64' : 'float64';
  throw new SchemaError(`type mismatch in ${formatExpr(whole)}: branches give ${prev} and ${next}`);
}
