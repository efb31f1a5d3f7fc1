/** Boolean logic with SQL (Kleene) semantics for nulls, null tests, fill_null and CASE. */
import type { Column, NumericArray } from '../../../core/types.js';
import { boolColumn, withValid } from './util.js';

/** AND/OR with three-valued logic: false AND null = false, true OR null = true. */
export function kleene(op: 'and' | 'or', a: Column, b: Column, n: number): Column {
  const av = a.values, bv = b.values, out = new Uint8Array(n);
  if (!a.valid && !b.valid) {
    if (op === 'and') for (let i = 0; i < n; i++) out[i] = av[i] & bv[i];
    else for (let i = 0; i < n; i++) out[i] = av[i] | bv[i];
    return boolColumn(out);
  }
  const va = a.valid, vb = b.valid, valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pa = va ? va[i] : 1, pb = vb ? vb[i] : 1, x = av[i] & pa, y = bv[i] & pb;
    if (op === 'and') {
      // definitely false when either side is a known false
      if ((pa && !av[i]) || (pb && !bv[i])) { out[i] = 0; valid[i] = 1; }
      else if (pa && pb) { out[i] = 1; valid[i] = 1; }
    } else {
      if (x || y) { out[i] = 1; valid[i] = 1; }
      else if (pa && pb) { out[i] = 0; valid[i] = 1; }
    }
  }
  return boolColumn(out, valid);
}

export function notColumn(a: Column): Column {
  const n = a.length, out = new Uint8Array(n), v = a.values;
  for (let i = 0; i < n; i++) out[i] = v[i] ^ 1;
  return boolColumn(out, a.valid);
}

export function isNullColumn(a: Column, negate: boolean): Column {
  const n = a.length, out = new Uint8Array(n);
  if (!a.valid) out.fill(negate ? 1 : 0);
  else for (let i = 0; i < n; i++) out[i] = negate ? a.valid[i] : a.valid[i] ^ 1;
  return boolColumn(out);
}

/** Picks `b[i]` where `mask[i]` is set, else `a[i]` — both columns of the same type (`type`). */
export function select(mask: Uint8Array, b: Column, a: Column, n: number): Column {
  if (a.type === 'utf8') {
    const parts: [Column, number][] = new Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = mask[i] ? b : a;
      parts[i] = [c, i];
      total += c.offsets![i + 1] - c.offsets![i];
    }
    const values = new Uint8Array(total), offsets = new Int32Array(n + 1);
    let valid: Uint8Array | undefined;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const c = mask[i] ? b : a, s = c.offsets![i], e = c.offsets![i + 1];
      values.set((c.values as Uint8Array).subarray(s, e), o);
      o += e - s; offsets[i + 1] = o;
      if (c.valid && !c.valid[i]) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
    }
    return withValid({ type: 'utf8', length: n, values, offsets }, valid);
  }
  const values = new (a.values.constructor as new (n: number) => NumericArray)(n);
  const av = a.values, bv = b.values;
  let valid: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const fromB = mask[i] === 1;
    values[i] = fromB ? bv[i] : av[i];
    const c = fromB ? b : a;
    if (c.valid && !c.valid[i]) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
  }
  return withValid({ type: a.type, length: n, values }, valid);
}
