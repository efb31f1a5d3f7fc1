/** Plain-loop references for array tests: strided access over C-order buffers. */
export const sizeOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export function strides(shape: number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { st[d] = acc; acc *= shape[d]; }
  return st;
}

/** Lines along `axis`: for each output cell, the flat indices of its elements in order. */
export function linesOf(shape: number[], axis: number | null): number[][] {
  if (axis === null) return [Array.from({ length: sizeOf(shape) }, (_, i) => i)];
  const st = strides(shape);
  const other = shape.map((_, d) => d).filter((d) => d !== axis);
  const out: number[][] = [];
  const n = sizeOf(other.map((d) => shape[d]));
  for (let c = 0; c < n; c++) {
    let rem = c, base = 0;
    for (let k = other.length - 1; k >= 0; k--) { const d = other[k]; base += (rem % shape[d]) * st[d]; rem = Math.floor(rem / shape[d]); }
    out.push(Array.from({ length: shape[axis] }, (_, t) => base + t * st[axis]));
  }
  return out;
}

export function reduceRef(data: Float64Array, shape: number[], fn: string, axis: number | null): number[] {
  return linesOf(shape, axis).map((line) => {
    const v = line.map((i) => data[i]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    switch (fn) {
      case 'sum': return v.reduce((a, b) => a + b, 0);
      case 'mean': return mean;
      case 'min': return Math.min(...v);
      case 'max': return Math.max(...v);
      case 'var': return v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      case 'std': return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      case 'argmin': { const k = v.indexOf(Math.min(...v)); return axis === null ? line[k] : k; }
      case 'argmax': { const k = v.indexOf(Math.max(...v)); return axis === null ? line[k] : k; }
      default: throw new Error(fn);
    }
  });
}

export function scanRef(data: Float64Array, shape: number[], fn: 'sum' | 'prod', axis: number): Float64Array {
  const out = new Float64Array(data.length);
  for (const line of linesOf(shape, axis)) {
    let acc = fn === 'sum' ? 0 : 1;
    for (const i of line) { acc = fn === 'sum' ? acc + data[i] : acc * data[i]; out[i] = acc; }
  }
  return out;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-9): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (Math.abs(a - e) > rel * Math.max(1, Math.abs(e))) throw new Error(`at ${i}: ${a} != ${e}`);
  }
}
