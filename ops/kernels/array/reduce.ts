/**
 * Reduction partials (Dask's chunk / combine / aggregate). A partial covers the lines of one
 * chunk along the reduced axis (one line when reducing everything): `n` values folded per line,
 * `a` the running value (sum, extremum or mean), `b` the second moment (var/std) or the index
 * of the extremum (argmin/argmax). Variance merges with Chan's formula.
 */
import { stridesOf, type Box } from './box.js';
import type { ReduceFn } from './plan.js';

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
  const at = (o: number, t: number, j: number) => (o * len + t) * inner + j;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const c = o * inner + j;
      if (fn === 'sum' || fn === 'mean') {
        let s = 0;
        for (let t = 0; t < len; t++) s += buf[at(o, t, j)];
        a[c] = s;
      } else if (fn === 'var' || fn === 'std') {
        let mean = 0, m2 = 0;
        for (let t = 0; t < len; t++) { const v = buf[at(o, t, j)]; const d = v - mean; mean += d / (t + 1); m2 += d * (v - mean); }
        a[c] = mean; b![c] = m2;
      } else {
        const low = fn === 'min' || fn === 'argmin';
        let m = len > 0 ? buf[at(o, 0, j)] : low ? Infinity : -Infinity, mi = 0;
        for (let t = 1; t < len && m === m; t++) {
          const v = buf[at(o, t, j)];
          if ((low ? v < m : v > m) || v !== v) { m = v; mi = t; }
        }
        a[c] = m;
        if (b) b[c] = axis === null ? globalFlat(mi, ext, box, shape) : box.start[axis] + mi;
      }
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

/** Merges `y` into `x` (same lines; `x` comes first in index order, which decides arg ties). */
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

/** Merges partials pairwise in a fixed tree, so the result does not depend on arrival order. */
export function treeMerge(parts: Partial[], fn: ReduceFn): Partial {
  let level = parts;
  while (level.length > 1) {
    const next: Partial[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergePartial(level[i], level[i + 1], fn) : level[i]);
    level = next;
  }
  return level[0];
}

/** Final values per line. */
export function finalize(p: Partial, fn: ReduceFn): Float64Array {
  switch (fn) {
    case 'sum': case 'min': case 'max': return p.a;
    case 'mean': return p.a.map((s) => s / p.n);
    case 'var': return p.b!.map((m2) => m2 / p.n);
    case 'std': return p.b!.map((m2) => Math.sqrt(m2 / p.n));
    case 'argmin': case 'argmax': return p.b!;
  }
}
