/**
 * Reduction partials (Dask's chunk / combine / aggregate). A partial covers the lines of one
 * chunk along the reduced axis (one line when reducing everything): `n` values folded per line,
 * `a` the running value (sum, extremum or mean), `b` the second moment (var/std) or the index
 * of the extremum (argmin/argmax). Variance merges with Chan's formula.
 */
import { stridesOf, type Box } from './box.js';
import type { ReduceFn } from './plan.js';

/** A reduction partial (see the file's comment). @example const p: Partial = chunkPartial(buf, box, shape, 'mean', 0); */
export interface Partial { n: number; a: Float64Array; b?: Float64Array }

const lines = (shape: readonly number[], axis: number | null): [number, number, number] => {
  if (axis === null) return [1, shape.reduce((x, y) => x * y, 1), 1];
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape[axis], inner];
};

/**
 * The partial of one chunk buffer (C order, box `box` of an array of `shape`). Arg indices are
 * global: the index along `axis`, or the flat C-order index when reducing everything.
 * @example
 * const p = chunkPartial(Float64Array.of(1, 5, 3), { start: [0], stop: [3] }, [3], 'max', null); // p.a = [5]
 */
export function chunkPartial(buf: Float64Array, box: Box, shape: readonly number[], fn: ReduceFn, axis: number | null): Partial {
  const ext = box.start.map((s, d) => box.stop[d] - s);
  const [outer, len, inner] = lines(ext, axis);
  const cells = outer * inner;
  const a = new Float64Array(cells);
  const b = fn === 'sum' || fn === 'mean' || fn === 'min' || fn === 'max' ? undefined : new Float64Array(cells);
  // lines are walked a row of `inner` cells at a time, so memory is read in order even when
  // reducing a leading axis (a column-wise walk of a large chunk would miss the cache each step)
  for (let o = 0; o < outer; o++) {
    const c0 = o * inner, row = (t: number) => (o * len + t) * inner;
    if (fn === 'sum' || fn === 'mean') {
      // four rows per sweep: one read-modify-write of the sums per four values
      let t = 0;
      if (inner > 1) {
        for (; t + 4 <= len; t += 4) {
          const r0 = row(t), r1 = r0 + inner, r2 = r1 + inner, r3 = r2 + inner;
          for (let j = 0; j < inner; j++) a[c0 + j] += (buf[r0 + j] + buf[r1 + j]) + (buf[r2 + j] + buf[r3 + j]);
        }
      }
      for (; t < len; t++) { const r = row(t); for (let j = 0; j < inner; j++) a[c0 + j] += buf[r + j]; }
    } else if (fn === 'var' || fn === 'std') {
      for (let t = 0; t < len; t++) {
        const r = row(t), w = 1 / (t + 1);
        for (let j = 0; j < inner; j++) { const v = buf[r + j], m = a[c0 + j], d = v - m, m2 = m + d * w; a[c0 + j] = m2; b![c0 + j] += d * (v - m2); }
      }
    } else {
      const low = fn === 'min' || fn === 'argmin';
      const at = new Float64Array(inner);
      for (let j = 0; j < inner; j++) a[c0 + j] = len > 0 ? buf[row(0) + j] : low ? Infinity : -Infinity;
      for (let t = 1; t < len; t++) {
        const r = row(t);
        for (let j = 0; j < inner; j++) {
          const m = a[c0 + j], v = buf[r + j];
          // a NaN wins and stays (as numpy): once the running value is NaN nothing replaces it
          if (m === m && ((low ? v < m : v > m) || v !== v)) { a[c0 + j] = v; at[j] = t; }
        }
      }
      if (b) for (let j = 0; j < inner; j++) b[c0 + j] = axis === null ? globalFlat(at[j], ext, box, shape) : box.start[axis] + at[j];
    }
  }
  return { n: len, a, b };
}

function globalFlat(local: number, ext: number[], box: Box, shape: readonly number[]): number {
  const st = stridesOf(shape);
  let flat = 0;
  for (let d = ext.length - 1; d >= 0; d--) {
    const i = local % ext[d];
    local = Math.floor(local / ext[d]);
    flat += (box.start[d] + i) * st[d];
  }
  return flat;
}

/**
 * Merges `y` into `x` (same lines; `x` comes first in index order, which decides arg ties).
 * @example mergePartial(p0, p1, 'sum') // p0, now covering both
 */
export function mergePartial(x: Partial, y: Partial, fn: ReduceFn): Partial {
  const a = x.a, b = x.b;
  for (let c = 0; c < a.length; c++) {
    if (fn === 'sum' || fn === 'mean') a[c] += y.a[c];
    else if (fn === 'var' || fn === 'std') {
      const n = x.n + y.n;
      if (n === 0) continue;
      const d = y.a[c] - a[c];
      a[c] += (d * y.n) / n;
      b![c] += y.b![c] + (d * d * x.n * y.n) / n;
    } else {
      const low = fn === 'min' || fn === 'argmin';
      const v = y.a[c], m = a[c];
      const better = (low ? v < m : v > m) || (v !== v && m === m);
      // equal values (or two NaNs): the lower index wins, as numpy returns the first occurrence
      const tie = b !== undefined && (v === m || (v !== v && m !== m)) && y.b![c] < b[c];
      if (better || tie) { a[c] = v; if (b) b[c] = y.b![c]; }
    }
  }
  return { n: x.n + y.n, a, b };
}

/**
 * Merges partials pairwise in a fixed tree, so the result does not depend on arrival order.
 * @example treeMerge([p0, p1, p2], 'var')
 */
export function treeMerge(parts: Partial[], fn: ReduceFn): Partial {
  let level = parts;
  while (level.length > 1) {
    const next: Partial[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergePartial(level[i], level[i + 1], fn) : level[i]);
    level = next;
  }
  return level[0];
}

/**
 * Final values per line.
 * @example finalize(treeMerge(parts, 'std'), 'std') // one std per line
 */
export function finalize(p: Partial, fn: ReduceFn): Float64Array {
  switch (fn) {
    case 'sum': case 'min': case 'max': return p.a;
    case 'mean': return p.a.map((s) => s / p.n);
    case 'var': return p.b!.map((m2) => m2 / p.n);
    case 'std': return p.b!.map((m2) => Math.sqrt(m2 / p.n));
    case 'argmin': case 'argmax': return p.b!;
  }
}
