/** Array tasks: plain, structured-clone safe descriptions of the work on one chunk. */
import { PlanError } from '../../../core/errors.js';
import { boxShape, type Box } from './box.js';
import { evaluateBuffer, memoFor } from './evaluate.js';
import type { ANode, ReduceFn, ScanFn } from './plan.js';
import { chunkPartial, type Partial } from './reduce.js';
import { scanInPlace, scanTotals } from './scan.js';
import { foldByStrips } from './strips.js';

/**
 * A reduction partial, or a scan carry-out (from `carry`; the scanned values too when `keep`).
 * @example const p: TaskPart = { kind: 'reduce', fn: 'mean', axis: 0 };
 */
export type TaskPart =
  | { kind: 'reduce'; fn: ReduceFn; axis: number | null }
  | { kind: 'scan'; fn: ScanFn; axis: number; carry: Float64Array; keep: boolean };

/**
 * `chunk`: the values of `node` over `box`. `reduce`, `scan`: one part (see {@link TaskPart}).
 * `multi`: several parts over one evaluation of the chunk, so breakers that read the same
 * array (a mean and a cumsum of it) share one pass.
 * @example const t: ArrayTask = { kind: 'multi', node, box, parts: [{ kind: 'reduce', fn: 'sum', axis: null }] };
 */
export type ArrayTask =
  | { kind: 'chunk'; node: ANode; box: Box }
  | ({ node: ANode; box: Box } & TaskPart)
  | { kind: 'multi'; node: ANode; box: Box; parts: TaskPart[] };

/**
 * The result of one part.
 * @example const r = executeArrayTask({ kind: 'reduce', node, box, fn: 'max', axis: 1 }) as PartResult;
 */
export type PartResult =
  | { kind: 'reduce'; partial: Partial }
  | { kind: 'scan'; carry: Float64Array; data?: Float64Array };

/** What a task returns, per kind. @example const r: ArrayResult = executeArrayTask({ kind: 'chunk', node, box }); */
export type ArrayResult = { kind: 'chunk'; data: Float64Array } | PartResult | { kind: 'multi'; results: PartResult[] };

function runPart(p: TaskPart, buf: Float64Array, t: { node: ANode; box: Box }, own: boolean): PartResult {
  if (p.kind === 'reduce') return { kind: 'reduce', partial: chunkPartial(buf, t.box, t.node.shape, p.fn, p.axis) };
  const carry = p.carry.slice();
  if (!p.keep) {
    scanTotals(buf, boxShape(t.box), p.axis, p.fn, carry);
    return { kind: 'scan', carry };
  }
  const data = own ? buf : buf.slice();
  scanInPlace(data, boxShape(t.box), p.axis, p.fn, carry);
  return { kind: 'scan', carry, data };
}

/**
 * Runs one task in this thread.
 * @example
 * const r = executeArrayTask({ kind: 'chunk', node, box: { start: [0], stop: [10] } });
 */
export function executeArrayTask(t: ArrayTask): ArrayResult {
  if (t.kind !== 'chunk') {
    const folded = foldByStrips(t.node, t.box, t.kind === 'multi' ? t.parts : [t]);
    if (folded) return t.kind === 'multi' ? { kind: 'multi', results: folded } : folded[0];
  }
  const buf = evaluateBuffer(t.node, t.box, memoFor(t.node));
  switch (t.kind) {
    case 'chunk': return { kind: 'chunk', data: buf };
    case 'reduce': case 'scan': return runPart(t, buf, t, true);
    case 'multi': {
      // parts that scan in place go last and only the last one may take the buffer itself
      const lastKeep = t.parts.map((p) => p.kind === 'scan' && p.keep).lastIndexOf(true);
      return { kind: 'multi', results: t.parts.map((p, i) => runPart(p, buf, t, i === lastKeep && i === t.parts.length - 1)) };
    }
    default: throw new PlanError(`internal: unknown array task ${(t as ArrayTask).kind}`);
  }
}

/**
 * The buffers a result can hand over instead of copying.
 * @example Piscina.move({ [Piscina.transferableSymbol]: resultTransferList(r), [Piscina.valueSymbol]: reply })
 */
export function resultTransferList(r: ArrayResult): ArrayBuffer[] {
  const bufs = (x: ArrayResult): Float64Array[] => x.kind === 'chunk' ? [x.data]
    : x.kind === 'reduce' ? [x.partial.a, ...(x.partial.b ? [x.partial.b] : [])]
    : x.kind === 'scan' ? [x.carry, ...(x.data ? [x.data] : [])]
    : x.results.flatMap(bufs);
  const seen = new Set<ArrayBuffer>();
  for (const b of bufs(r)) if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) seen.add(b.buffer as ArrayBuffer);
  return [...seen];
}
