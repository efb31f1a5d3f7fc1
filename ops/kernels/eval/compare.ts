/** Comparison kernels: numbers, booleans, temporal values and UTF-8 bytes. */
import type { Column, NumericArray } from '../../../core/types.js';
import type { BinaryOp } from '../../../core/expr/node.js';
import { andValid, boolColumn } from './util.js';

type Num = NumericArray;

/** Numeric comparison where either side may be a scalar. */
export function compareNumeric(op: BinaryOp, a: Column | number, b: Column | number, n: number): Column {
  const out = new Uint8Array(n);
  const av = typeof a === 'number' ? undefined : (a.values as Num);
  const bv = typeof b === 'number' ? undefined : (b.values as Num);
  if (av && bv) {
    switch (op) {
      case 'gt': for (let i = 0; i < n; i++) out[i] = av[i] > bv[i] ? 1 : 0; break;
      case 'ge': for (let i = 0; i < n; i++) out[i] = av[i] >= bv[i] ? 1 : 0; break;
      case 'lt': for (let i = 0; i < n; i++) out[i] = av[i] < bv[i] ? 1 : 0; break;
      case 'le': for (let i = 0; i < n; i++) out[i] = av[i] <= bv[i] ? 1 : 0; break;
      case 'eq': for (let i = 0; i < n; i++) out[i] = av[i] === bv[i] ? 1 : 0; break;
      case 'ne': for (let i = 0; i < n; i++) out[i] = av[i] !== bv[i] ? 1 : 0; break;
    }
  } else if (av) {
    const s = b as number;
    switch (op) {
      case 'gt': for (let i = 0; i < n; i++) out[i] = av[i] > s ? 1 : 0; break;
      case 'ge': for (let i = 0; i < n; i++) out[i] = av[i] >= s ? 1 : 0; break;
      case 'lt': for (let i = 0; i < n; i++) out[i] = av[i] < s ? 1 : 0; break;
      case 'le': for (let i = 0; i < n; i++) out[i] = av[i] <= s ? 1 : 0; break;
      case 'eq': for (let i = 0; i < n; i++) out[i] = av[i] === s ? 1 : 0; break;
      case 'ne': for (let i = 0; i < n; i++) out[i] = av[i] !== s ? 1 : 0; break;
    }
  } else if (bv) {
    return compareNumeric(FLIP[op], b, a, n);
  } else {
    out.fill(cmpResult(op, (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0) ? 1 : 0);
  }
  return boolColumn(out, andValid(typeof a === 'number' ? undefined : a.valid, typeof b === 'number' ? undefined : b.valid, n));
}

const FLIP: Record<string, BinaryOp> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', eq: 'eq', ne: 'ne' };

export function cmpResult(op: BinaryOp, c: number): boolean {
  switch (op) {
    case 'gt': return c > 0;
    case 'ge': return c >= 0;
    case 'lt': return c < 0;
    case 'le': return c <= 0;
    case 'eq': return c === 0;
    default: return c !== 0;
  }
}

/** Byte-wise comparison of two UTF-8 slices (byte order equals code point order). */
export function cmpBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as, lb = be - bs, m = la < lb ? la : lb;
  for (let i = 0; i < m; i++) {
    const d = a[as + i] - b[bs + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** utf8 column compared with a utf8 column or a scalar string (already encoded). */
export function compareUtf8(op: BinaryOp, a: Column, b: Column | Uint8Array, n: number): Column {
  const out = new Uint8Array(n);
  const ao = a.offsets!, av = a.values as Uint8Array;
  if (b instanceof Uint8Array) {
    const bl = b.length;
    if (op === 'eq' || op === 'ne') {
      const want = op === 'eq' ? 1 : 0;
      for (let i = 0; i < n; i++) {
        const s = ao[i], e = ao[i + 1];
        let eq = e - s === bl ? 1 : 0;
        if (eq) for (let k = 0; k < bl; k++) if (av[s + k] !== b[k]) { eq = 0; break; }
        out[i] = eq === want ? 1 : 0;
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = cmpResult(op, cmpBytes(av, ao[i], ao[i + 1], b, 0, bl)) ? 1 : 0;
    }
    return boolColumn(out, a.valid ? a.valid.slice() : undefined);
  }
  const bo = b.offsets!, bv = b.values as Uint8Array;
  for (let i = 0; i < n; i++) out[i] = cmpResult(op, cmpBytes(av, ao[i], ao[i + 1], bv, bo[i], bo[i + 1])) ? 1 : 0;
  return boolColumn(out, andValid(a.valid, b.valid, n));
}
