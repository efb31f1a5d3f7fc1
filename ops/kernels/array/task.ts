/** Array tasks: plain, structured-clone safe descriptions of the work on one chunk. */
import { PlanError } from '../../../core/errors.js';
import { boxShape, type Box } from './box.js';
import { evaluateBuffer, memoFor } from './evaluate.js';
import type { ANode, ReduceFn, ScanFn } from './plan.js';
import { chunkPartial, type Partial } from './reduce.js';
import { scanInPlace } from './scan.js';

/**
 * `chunk`: the values of `node` over `box`. `reduce`: the chunk's reduction partial.
 * `scan`: the chunk scanned along `axis` from `carry` (identity when absent); returns the new
 * carry, and the scanned values when `keep`.
 */
export type ArrayTask =
  | { kind: 'chunk'; node: ANode; box: Box }
  | { kind: 'reduce'; node: ANode; box: Box; fn: ReduceFn; axis: number | null }
  | { kind: 'scan'; node: ANode; box: Box; fn: ScanFn; axis: number; carry: Float64Array; keep: boolean };

export type ArrayResult =
  | { kind: 'chunk'; data: Float64Array }
  | { kind: 'reduce'; partial: Partial }
  | { kind: 'scan'; carry: Float64Array; data?: Float64Array };

/**
 * Runs one task in this thread.
 * @example
 * const r = executeArrayTask({ kind: 'chunk', node, box: { start: [0], stop: [10] } });
 */
export function executeArrayTask(t: ArrayTask): ArrayResult {
  const buf = evaluateBuffer(t.node, t.box, memoFor(t.node));
  switch (t.kind) {
    case 'chunk': return { kind: 'chunk', data: buf };
    case 'reduce': return { kind: 'reduce', partial: chunkPartial(buf, t.box, t.node.shape, t.fn, t.axis) };
    case 'scan': {
      const carry = t.carry.slice();
      scanInPlace(buf, boxShape(t.box), t.axis, t.fn, carry);
      return t.keep ? { kind: 'scan', carry, data: buf } : { kind: 'scan', carry };
    }
    default: throw new PlanError(`internal: unknown array task ${(t as ArrayTask).kind}`);
  }
}

/** The buffers a result can hand over instead of copying. */
export function resultTransferList(r: ArrayResult): ArrayBuffer[] {
  const bufs: Float64Array[] = r.kind === 'chunk' ? [r.data] : r.kind === 'reduce' ? [r.partial.a, ...(r.partial.b ? [r.partial.b] : [])] : [r.carry, ...(r.data ? [r.data] : [])];
  const seen = new Set<ArrayBuffer>();
  for (const b of bufs) if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) seen.add(b.buffer as ArrayBuffer);
  return [...seen];
}
