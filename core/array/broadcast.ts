/**
 * Broadcasting of elementwise operands (NumPy rules). The result's chunks along each axis come
 * from the first operand that spans that axis at full size (not repeated), so `(n, m) + (m,)`
 * keeps the chunks of the `(n, m)` array and `(n, 1) * (1, m)` takes axis 0 from the first
 * operand and axis 1 from the second. Each operand that is smaller than the result is wrapped
 * in a `broadcast` node, which reads only the operand's own (smaller) box per chunk.
 */
import { PlanError } from '../errors.js';
import { broadcastShapes } from '../../ops/kernels/array/broadcast.js';
import type { ANode } from '../../ops/kernels/array/plan.js';

/**
 * An operand as seen by broadcasting: its node and chunks (0-d operands and numbers have no axes).
 * @example const op: Operand = { node: a.node, chunks: a.chunks };
 */
export interface Operand { node: ANode; chunks: number[][] }

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The shape every operand broadcasts to, or a PlanError naming both offending shapes and the axis.
 * @example
 * resultShape([[4, 1], [3]], 'mul') // [4, 3]
 */
export function resultShape(shapes: readonly (readonly number[])[], what: string): number[] {
  let out: number[] = [];
  for (const s of shapes) {
    const b = broadcastShapes(out, s);
    if (!b) {
      const n = Math.max(out.length, s.length);
      const d = [...Array(n).keys()].find((k) => {
        const x = out[k - (n - out.length)] ?? 1, y = s[k - (n - s.length)] ?? 1;
        return x !== y && x !== 1 && y !== 1;
      });
      throw new PlanError(`${what}: shapes ${fmt(out)} and ${fmt(s)} do not broadcast (axis ${d} of the result: ${out[d! - (n - out.length)]} vs ${s[d! - (n - s.length)]}); sizes must be equal or 1, aligned on the last axis`);
    }
    out = b;
  }
  return out;
}

/**
 * Operands wrapped to `shape` and the result's chunks.
 * @example
 * const { nodes, chunks } = broadcastOperands([a, b], [4, 3]);
 */
export function broadcastOperands(ops: readonly Operand[], shape: readonly number[]): { nodes: ANode[]; chunks: number[][] } {
  const n = shape.length;
  const chunks = shape.map((size, d) => {
    const full = ops.find((o) => {
      const k = d - (n - o.node.shape.length);
      return k >= 0 && o.node.shape[k] === size;
    });
    return full ? full.chunks[d - (n - full.node.shape.length)] : [size];
  });
  const nodes = ops.map((o): ANode => {
    const s = o.node.shape;
    if (s.length === 0 || (s.length === n && s.every((x, d) => x === shape[d]))) return o.node;
    return { op: 'broadcast', shape: [...shape], x: o.node };
  });
  return { nodes, chunks };
}
