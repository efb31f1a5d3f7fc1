/** In-chunk cumulative scans along one axis, starting from a carry per line of that axis. */
import type { ScanFn } from './plan.js';

/**
 * Scans `buf` (C order, `shape`) along `axis` in place. `carry` has one value per line along
 * the axis (the other axes in C order); on return it holds each line's last scanned value,
 * which is the carry of the next chunk, or the chunk total when it started at the identity.
 * @example
 * const b = Float64Array.of(1, 2, 3, 4); const c = Float64Array.of(10, 0);
 * scanInPlace(b, [2, 2], 0, 'sum', c); // b = [11, 2, 14, 6], c = [14, 6]
 */
export function scanInPlace(buf: Float64Array, shape: readonly number[], axis: number, fn: ScanFn, carry: Float64Array): void {
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const len = shape[axis];
  for (let o = 0; o < outer; o++) {
    const cOff = o * inner;
    if (inner === 1) {
      let acc = carry[o];
      const base = o * len;
      if (fn === 'sum') for (let t = 0; t < len; t++) { acc += buf[base + t]; buf[base + t] = acc; }
      else for (let t = 0; t < len; t++) { acc *= buf[base + t]; buf[base + t] = acc; }
      carry[o] = acc;
      continue;
    }
    for (let t = 0; t < len; t++) {
      const base = (o * len + t) * inner;
      if (fn === 'sum') for (let j = 0; j < inner; j++) { const v = carry[cOff + j] + buf[base + j]; buf[base + j] = v; carry[cOff + j] = v; }
      else for (let j = 0; j < inner; j++) { const v = carry[cOff + j] * buf[base + j]; buf[base + j] = v; carry[cOff + j] = v; }
    }
  }
}

/**
 * Elementwise combine of two carries (the scan operator lifted to lines).
 * @example combineInto('sum', acc, carry) // acc[i] += carry[i]
 */
export function combineInto(fn: ScanFn, acc: Float64Array, x: Float64Array): void {
  if (fn === 'sum') for (let i = 0; i < acc.length; i++) acc[i] += x[i];
  else for (let i = 0; i < acc.length; i++) acc[i] *= x[i];
}

/**
 * What {@link scanInPlace} leaves in `carry`, without writing the scanned values: the chunk
 * totals a Blelloch pass needs (sums or products per line, folded into `carry`).
 * @example
 * const c = Float64Array.of(0, 0); scanTotals(Float64Array.of(1, 2, 3, 4), [2, 2], 1, 'sum', c); // c = [3, 7]
 */
export function scanTotals(buf: Float64Array, shape: readonly number[], axis: number, fn: ScanFn, carry: Float64Array): void {
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const len = shape[axis];
  for (let o = 0; o < outer; o++) {
    if (inner === 1) {
      let acc = carry[o];
      const base = o * len;
      if (fn === 'sum') for (let t = 0; t < len; t++) acc += buf[base + t];
      else for (let t = 0; t < len; t++) acc *= buf[base + t];
      carry[o] = acc;
      continue;
    }
    const cOff = o * inner;
    for (let t = 0; t < len; t++) {
      const base = (o * len + t) * inner;
      if (fn === 'sum') for (let j = 0; j < inner; j++) carry[cOff + j] += buf[base + j];
      else for (let j = 0; j < inner; j++) carry[cOff + j] *= buf[base + j];
    }
  }
}
