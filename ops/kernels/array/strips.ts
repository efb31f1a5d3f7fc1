/**
 * Reductions and scan totals fed strip by strip: when a chunk's values are only folded (a
 * reduction partial, a Blelloch chunk total), the chunk is evaluated a few rows at a time and
 * each strip is folded while it is in cache, so no chunk-sized buffer ever exists. A 2000 x 2000
 * chunk of `exp(x) + 3 sin(x)` then costs a few hundred KiB per task instead of 32 MiB.
 */
import { boxShape, sizeOf, type Box } from './box.js';
import { evaluateInto, memoFor, stripable } from './evaluate.js';
import type { ANode } from './plan.js';
import { chunkPartial, mergePartial, type Partial } from './reduce.js';
import { scanTotals } from './scan.js';
import type { PartResult, TaskPart } from './task.js';

/**
 * Elements per strip: small enough to stay in L2 with a few temporaries.
 * @example foldByStrips(node, box, parts) // evaluates about FOLD_STRIP values at a time
 */
export const FOLD_STRIP = 16384;

/**
 * The results of `parts` over `box` of `node`, strip by strip, or undefined when striping does
 * not apply (small or 0-d boxes, scans below, a part that keeps its scanned values).
 * @example
 * const r = foldByStrips(node, box, [{ kind: 'reduce', fn: 'mean', axis: 0 }]);
 */
export function foldByStrips(node: ANode, box: Box, parts: readonly TaskPart[]): PartResult[] | undefined {
  const ext = boxShape(box);
  if (ext.length === 0 || sizeOf(ext) < 2 * FOLD_STRIP || parts.some((p) => p.kind === 'scan' && p.keep) || !stripable(node)) return undefined;
  const row = sizeOf(ext.slice(1));
  const h = Math.max(1, Math.floor(FOLD_STRIP / Math.max(1, row)));
  const memo = memoFor(node);
  const carries = parts.map((p) => (p.kind === 'scan' ? p.carry.slice() : undefined));
  const merged: (Partial | undefined)[] = parts.map(() => undefined);
  const out = new Float64Array(h * row);
  // partials of reductions along a later axis: each strip owns a block of the chunk's lines
  const placed = parts.map((p) => (p.kind === 'reduce' && p.axis !== null && p.axis > 0 ? blank(ext, p) : undefined));
  for (let r = box.start[0]; r < box.stop[0]; r += h) {
    const strip: Box = { start: [r, ...box.start.slice(1)], stop: [Math.min(r + h, box.stop[0]), ...box.stop.slice(1)] };
    const rows = strip.stop[0] - r, first = r - box.start[0];
    memo.values.clear();
    const buf = evaluateInto(node, strip, memo, out.subarray(0, rows * row));
    parts.forEach((p, k) => {
      if (p.kind === 'scan') {
        const c = carries[k]!;
        // along axis 0 the carry runs on through the strips in order; along a later axis each strip owns its lines' carries
        const per = p.axis === 0 ? 0 : c.length / ext[0];
        scanTotals(buf, boxShape(strip), p.axis, p.fn, p.axis === 0 ? c : c.subarray(first * per, (first + rows) * per));
        return;
      }
      const sp = chunkPartial(buf, strip, node.shape, p.fn, p.axis);
      const into = placed[k];
      if (into) {
        const per = into.a.length / ext[0];
        into.a.set(sp.a, first * per);
        if (into.b && sp.b) into.b.set(sp.b, first * per);
      } else {
        merged[k] = merged[k] ? mergePartial(merged[k]!, sp, p.fn) : sp;
      }
    });
  }
  return parts.map((p, k): PartResult => (p.kind === 'scan' ? { kind: 'scan', carry: carries[k]! } : { kind: 'reduce', partial: placed[k] ?? merged[k]! }));
}

/** An empty partial covering every line of a chunk of extent `ext` reduced along `p.axis` (> 0). */
function blank(ext: readonly number[], p: Extract<TaskPart, { kind: 'reduce' }>): Partial {
  const cells = sizeOf(ext) / Math.max(1, ext[p.axis!]);
  const withB = !(p.fn === 'sum' || p.fn === 'mean' || p.fn === 'min' || p.fn === 'max');
  return { n: ext[p.axis!], a: new Float64Array(cells), b: withB ? new Float64Array(cells) : undefined };
}
