/**
 * NumPy broadcasting over boxes: an operand of shape `from` is aligned on the right with the
 * result `to`; its missing leading axes and its size-1 axes repeat. A box of the result reads
 * only the matching (smaller) box of the operand, which is then expanded to the box's shape.
 */
import { sizeOf, stridesOf, type Box } from './box.js';

/**
 * The box of the operand (shape `from`) that a broadcast to `to` reads over `box`.
 * @example
 * broadcastSourceBox([1, 5], [4, 5], { start: [2, 1], stop: [4, 3] }) // { start: [0, 1], stop: [1, 3] }
 */
export function broadcastSourceBox(from: readonly number[], to: readonly number[], box: Box): Box {
  const lead = to.length - from.length;
  return {
    start: from.map((n, d) => (n === 1 && to[d + lead] !== 1 ? 0 : box.start[d + lead])),
    stop: from.map((n, d) => (n === 1 && to[d + lead] !== 1 ? 1 : box.stop[d + lead])),
  };
}

/**
 * Expands `src`, the C-order values of a box of extent `srcExt` (right-aligned, 1 where
 * repeated), to a buffer of extent `dstExt`. Trailing axes that are not repeated are copied as
 * runs, repeated innermost axes are filled.
 * @example
 * expand(Float64Array.of(1, 2), [2], [3, 2]) // [1, 2, 1, 2, 1, 2]
 */
export function expand(src: Float64Array, srcExt: readonly number[], dstExt: readonly number[]): Float64Array {
  const n = dstExt.length;
  const ext = [...dstExt.slice(0, n - srcExt.length).map(() => 1), ...srcExt];
  const out = new Float64Array(sizeOf(dstExt));
  if (out.length === 0) return out;
  // trailing axes where src and dst agree form one contiguous run to copy
  let outer = n;
  while (outer > 0 && ext[outer - 1] === dstExt[outer - 1]) outer--;
  if (outer === 0) { out.set(src.subarray(0, out.length)); return out; }
  const copy = outer < n;
  // otherwise the innermost axes are repeated: one value fills each run
  if (!copy) while (outer > 0 && ext[outer - 1] === 1) outer--;
  const run = sizeOf(dstExt.slice(outer));
  const st = stridesOf(ext);
  const idx = new Array<number>(outer).fill(0);
  for (let o = 0; o < out.length; o += run) {
    let from = 0;
    for (let d = 0; d < outer; d++) if (ext[d] !== 1) from += idx[d] * st[d];
    if (copy) out.set(src.subarray(from, from + run), o);
    else out.fill(src[from], o, o + run);
    for (let d = outer - 1; d >= 0; d--) {
      if (++idx[d] < dstExt[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * The broadcast of two shapes, or undefined when they do not broadcast (NumPy rules: aligned on
 * the right, each pair of sizes equal or one of them 1).
 * @example
 * broadcastShapes([4, 1], [3]) // [4, 3]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let d = 0; d < n; d++) {
    const x = a[d - (n - a.length)] ?? 1, y = b[d - (n - b.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}
