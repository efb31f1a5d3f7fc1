/** Arithmetic and math kernels over numeric columns (results are Float64Array-backed). */
import type { Column, DType, NumericArray } from '../../../core/types.js';
import type { BinaryOp, UnaryOp } from '../../../core/expr/node.js';
import { andValid, f64Column } from './util.js';

type Num = NumericArray;

/** `a op b` where either side may be a scalar (number) to avoid materialising literals. */
export function arith(op: BinaryOp, a: Column | number, b: Column | number, n: number, outType: DType): Column {
  const out = new Float64Array(n);
  const av = typeof a === 'number' ? undefined : (a.values as Num);
  const bv = typeof b === 'number' ? undefined : (b.values as Num);
  const as = typeof a === 'number' ? a : 0, bs = typeof b === 'number' ? b : 0;
  switch (op) {
    case 'add':
      if (av && bv) for (let i = 0; i < n; i++) out[i] = av[i] + bv[i];
      else if (av) for (let i = 0; i < n; i++) out[i] = av[i] + bs;
      else if (bv) for (let i = 0; i < n; i++) out[i] = as + bv[i];
      else out.fill(as + bs);
      break;
    case 'sub':
      if (av && bv) for (let i = 0; i < n; i++) out[i] = av[i] - bv[i];
      else if (av) for (let i = 0; i < n; i++) out[i] = av[i] - bs;
      else if (bv) for (let i = 0; i < n; i++) out[i] = as - bv[i];
      else out.fill(as - bs);
      break;
    case 'mul':
      if (av && bv) for (let i = 0; i < n; i++) out[i] = av[i] * bv[i];
      else if (av) for (let i = 0; i < n; i++) out[i] = av[i] * bs;
      else if (bv) for (let i = 0; i < n; i++) out[i] = as * bv[i];
      else out.fill(as * bs);
      break;
    case 'div':
      if (av && bv) for (let i = 0; i < n; i++) out[i] = av[i] / bv[i];
      else if (av) for (let i = 0; i < n; i++) out[i] = av[i] / bs;
      else if (bv) for (let i = 0; i < n; i++) out[i] = as / bv[i];
      else out.fill(as / bs);
      break;
    case 'mod':
      if (av && bv) for (let i = 0; i < n; i++) out[i] = av[i] % bv[i];
      else if (av) for (let i = 0; i < n; i++) out[i] = av[i] % bs;
      else if (bv) for (let i = 0; i < n; i++) out[i] = as % bv[i];
      else out.fill(as % bs);
      break;
    default: throw new Error(`not an arithmetic op: ${op}`);
  }
  const valid = andValid(typeof a === 'number' ? undefined : a.valid, typeof b === 'number' ? undefined : b.valid, n);
  // Integer division and modulo by zero yield null, as in SQL, instead of Infinity/NaN.
  let v = valid;
  if ((op === 'mod' || (op === 'div' && outType === 'int64')) && bv) {
    for (let i = 0; i < n; i++) if (bv[i] === 0) { v ??= new Uint8Array(n).fill(1); v[i] = 0; }
  }
  return f64Column(outType === 'int64' ? 'int64' : 'float64', out, v);
}

const MATH: Partial<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x, abs: Math.abs, sqrt: Math.sqrt, exp: Math.exp, log: Math.log,
  sin: Math.sin, cos: Math.cos, floor: Math.floor, ceil: Math.ceil,
};

export function mathUnary(op: UnaryOp, a: Column, outType: DType): Column {
  const n = a.length, src = a.values as Num, f = MATH[op]!;
  if (outType !== 'float64' && outType !== 'int64') {
    // floor/ceil of an integer column keep its type and values
    return a;
  }
  const out = new Float64Array(n);
  if (op === 'neg') for (let i = 0; i < n; i++) out[i] = -src[i];
  else for (let i = 0; i < n; i++) out[i] = f(src[i]);
  return f64Column(outType, out, a.valid);
}

/** Rounds half away from zero to `digits` decimals. */
export function roundColumn(a: Column, digits: number): Column {
  if (a.type !== 'float64' && a.type !== 'float32') return a;
  const n = a.length, src = a.values as Num, out = new Float64Array(n), f = 10 ** digits;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const r = Math.round(Math.abs(x) * f) / f;
    out[i] = x < 0 ? -r : r;
  }
  return f64Column('float64', out, a.valid);
}
