/**
 * Reading a reshaped array over a box. A C-order reshape keeps every element's flat index, so
 * an output box is a set of flat runs, and each run is a union of a few input boxes (a partial
 * line, a block of whole lines, a partial line, recursively). Axes the reshape leaves alone at
 * the front (equal sizes in both shapes) stay box axes on both sides, so a chunk reads a handful
 * of input boxes instead of one per line.
 */
import { boxShape, forEachRun, sizeOf, type Box } from './box.js';

/**
 * Boxes of an array of `shape` covering flat C-order positions `[f0, f1)`, in flat order; each
 * box is itself contiguous in flat order, so their C-order buffers concatenate to the range.
 * @example
 * flatRangeBoxes([3, 4], 2, 10) // [[0,2]..[1,4]), [[1,0]..[2,4]), [[2,0]..[3,2])
 */
export function flatRangeBoxes(shape: readonly number[], f0: number, f1: number): Box[] {
  const out: Box[] = [];
  if (f1 <= f0) return out;
  if (shape.length === 0) return [{ start: [], stop: [] }];
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const rec = (d: number, prefix: number[], a: number, b: number): void => {
    if (a >= b) return;
    const s = strides[d];
    const tail = shape.slice(d + 1);
    const lines = (lo: number, hi: number) => out.push({ start: [...prefix, lo, ...tail.map(() => 0)], stop: [...prefix.map((i) => i + 1), hi, ...tail] });
    const i0 = Math.floor(a / s), r0 = a - i0 * s;
    const i1 = Math.floor(b / s), r1 = b - i1 * s;
    if (i0 === i1) { rec(d + 1, [...prefix, i0], r0, r1); return; }
    let lo = i0;
    if (r0 > 0) { rec(d + 1, [...prefix, i0], r0, s); lo = i0 + 1; }
    if (i1 > lo) lines(lo, i1);
    if (r1 > 0) rec(d + 1, [...prefix, i1], 0, r1);
  };
  rec(0, [], f0, f1);
  return out;
}

/**
 * Number of leading axes a reshape from `from` to `to` leaves unchanged.
 * @example keptAxes([4, 6, 2], [4, 12]) // 1
 */
export function keptAxes(from: readonly number[], to: readonly number[]): number {
  let p = 0;
  while (p < from.length && p < to.length && from[p] === to[p]) p++;
  return p;
}

/**
 * One input box of a reshaped read and where its values go in the output box's trailing block.
 * @example const { box, offset, length }: ReshapePiece = reshapeReads([6], [2, 3], box).pieces[0];
 */
export interface ReshapePiece { box: Box; offset: number; length: number }

/**
 * The input boxes read when an array of shape `from`, reshaped to `to`, is evaluated over `box`
 * (in `to`'s coordinates). `lead` is the number of kept leading axes; `lines` and `width` give
 * the output box as `lines` rows of `width` trailing values.
 * @example
 * reshapeReads([4, 6], [4, 2, 3], { start: [0, 0, 0], stop: [4, 2, 3] }) // one piece: the whole [4, 6]
 */
export function reshapeReads(from: readonly number[], to: readonly number[], box: Box): { pieces: ReshapePiece[]; lines: number; width: number } {
  const lead = keptAxes(from, to);
  const head = (b: readonly number[]) => b.slice(0, lead);
  const trailTo = to.slice(lead), trailFrom = from.slice(lead);
  const tbox: Box = { start: box.start.slice(lead), stop: box.stop.slice(lead) };
  const pieces: ReshapePiece[] = [];
  forEachRun(trailTo, tbox, (flat, off, len) => {
    let at = off;
    for (const p of flatRangeBoxes(trailFrom, flat, flat + len)) {
      const length = sizeOf(boxShape(p));
      pieces.push({ box: { start: [...head(box.start), ...p.start], stop: [...head(box.stop), ...p.stop] }, offset: at, length });
      at += length;
    }
  });
  return { pieces, lines: sizeOf(boxShape({ start: head(box.start), stop: head(box.stop) })), width: sizeOf(boxShape(tbox)) };
}

/**
 * Values of `x` (shape `from`) reshaped to `to`, over `box`; `read` evaluates `x` over an input box.
 * @example
 * const v = readReshaped([6], [2, 3], { start: [1, 0], stop: [2, 3] }, (b) => evaluateBuffer(x, b)); // x[3..6)
 */
export function readReshaped(from: readonly number[], to: readonly number[], box: Box, read: (b: Box) => Float64Array): Float64Array {
  const { pieces, lines, width } = reshapeReads(from, to, box);
  if (pieces.length === 1 && (lines === 1 || pieces[0].length === width)) return read(pieces[0].box);
  const out = new Float64Array(lines * width);
  for (const p of pieces) {
    const v = read(p.box);
    for (let q = 0; q < lines; q++) out.set(v.subarray(q * p.length, (q + 1) * p.length), q * width + p.offset);
  }
  return out;
}
