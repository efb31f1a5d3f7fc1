/** Boxes (half-open index ranges per axis) over C-order arrays, and copies between them. */

/**
 * A half-open region `[start[d], stop[d])` of an N-d array, in that array's coordinates.
 * @example const b: Box = { start: [0, 0], stop: [2, 3] };
 */
export interface Box { start: number[]; stop: number[] }

/**
 * A C-order block of values covering `[origin, origin + shape)` of a larger array.
 * @example const r: Region = { data: new Float64Array(6), origin: [0, 0], shape: [2, 3] };
 */
export interface Region { data: Float64Array; origin: number[]; shape: number[] }

/** Number of elements of a shape. @example sizeOf([2, 3]) // 6 */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Extent of a box per axis. @example boxShape({ start: [1, 0], stop: [3, 3] }) // [2, 3] */
export const boxShape = (b: Box): number[] => b.start.map((s, d) => b.stop[d] - s);

/** The box covering a whole array. @example fullBox([2, 3]) // { start: [0, 0], stop: [2, 3] } */
export const fullBox = (shape: readonly number[]): Box => ({ start: shape.map(() => 0), stop: [...shape] });

/** C-order strides (in elements) of a shape. @example stridesOf([2, 3, 4]) // [12, 4, 1] */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
}

/**
 * Calls `cb(flat, offset, len)` for each contiguous run of `box` inside an array of `shape`:
 * `flat` is the run's C-order index in the array, `offset` its index in the box's own C-order
 * buffer. Trailing axes the box covers completely are merged, so whole-row boxes give one run.
 * @example forEachRun([4, 5], { start: [1, 0], stop: [3, 5] }, (flat, off, len) => {}) // one run: (5, 0, 10)
 */
export function forEachRun(shape: readonly number[], box: Box, cb: (flat: number, offset: number, len: number) => void): void {
  const n = shape.length;
  if (n === 0) { cb(0, 0, 1); return; }
  const ext = boxShape(box);
  if (ext.some((e) => e <= 0)) return;
  let inner = n - 1;
  let len = ext[n - 1];
  while (inner > 0 && box.start[inner] === 0 && box.stop[inner] === shape[inner]) { inner--; len *= ext[inner]; }
  const st = stridesOf(shape);
  const idx = box.start.slice(0, inner);
  let offset = 0;
  for (;;) {
    let flat = box.start[inner] * st[inner];
    for (let d = 0; d < inner; d++) flat += idx[d] * st[d];
    cb(flat, offset, len);
    offset += len;
    let d = inner - 1;
    while (d >= 0) {
      if (++idx[d] < box.stop[d]) break;
      idx[d] = box.start[d];
      d--;
    }
    if (d < 0) return;
  }
}

/**
 * Copies `box` (global coordinates) out of `src` into a fresh C-order buffer.
 * @example readRegion({ data, origin: [0, 0], shape: [4, 5] }, { start: [1, 1], stop: [2, 3] }) // 2 values
 */
export function readRegion(src: Region, box: Box): Float64Array {
  const out = new Float64Array(sizeOf(boxShape(box)));
  const local: Box = { start: box.start.map((s, d) => s - src.origin[d]), stop: box.stop.map((s, d) => s - src.origin[d]) };
  forEachRun(src.shape, local, (flat, off, len) => out.set(src.data.subarray(flat, flat + len), off));
  return out;
}

/**
 * Writes a box's C-order values into `dst` (a region of a larger array).
 * @example writeRegion(dst, { start: [0, 0], stop: [1, 2] }, Float64Array.of(1, 2))
 */
export function writeRegion(dst: Region, box: Box, values: Float64Array): void {
  const local: Box = { start: box.start.map((s, d) => s - dst.origin[d]), stop: box.stop.map((s, d) => s - dst.origin[d]) };
  forEachRun(dst.shape, local, (flat, off, len) => dst.data.set(values.subarray(off, off + len), flat));
}

/**
 * Permutes a C-order buffer of `shape`: output axis i is input axis `axes[i]`.
 * @example permute(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0]) // [1, 4, 2, 5, 3, 6]
 */
export function permute(src: Float64Array, shape: readonly number[], axes: readonly number[]): Float64Array {
  const out = new Float64Array(src.length);
  const n = shape.length;
  if (n === 2 && axes[0] === 1) {
    const [r, c] = shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
    return out;
  }
  const outShape = axes.map((a) => shape[a]);
  const inSt = stridesOf(shape);
  const step = axes.map((a) => inSt[a]);
  const idx = new Array<number>(n).fill(0);
  let from = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = src[from];
    for (let d = n - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) { from += step[d]; break; }
      from -= step[d] * (idx[d] - 1);
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * The bounding box of two boxes.
 * @example unionBox({ start: [0], stop: [2] }, { start: [5], stop: [6] }) // { start: [0], stop: [6] }
 */
export const unionBox = (a: Box, b: Box): Box => ({ start: a.start.map((s, d) => Math.min(s, b.start[d])), stop: a.stop.map((s, d) => Math.max(s, b.stop[d])) });

/** A box as a map key. @example boxKey({ start: [0, 1], stop: [2, 3] }) // '0,1|2,3' */
export const boxKey = (b: Box): string => `${b.start.join(',')}|${b.stop.join(',')}`;
