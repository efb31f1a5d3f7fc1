/**
 * Scan operators as descriptors `{ identity, op }`: every scan (built in or user supplied) is
 * an associative binary op, so one local-scan kernel and one stitching step serve them all.
 */
import type { CustomScan, ScanFnName } from '../../../core/expr/node.js';
import { compileOp } from '../../../core/expr/expr.js';

export interface ScanOp {
  identity: number;
  op: (a: number, b: number) => number;
  /** count scans add 1 per non-null value instead of the value itself */
  counts: boolean;
}

const BUILTIN: Record<Exclude<ScanFnName, 'custom'>, ScanOp> = {
  sum: { identity: 0, op: (a, b) => a + b, counts: false },
  prod: { identity: 1, op: (a, b) => a * b, counts: false },
  min: { identity: Infinity, op: (a, b) => (b < a ? b : a), counts: false },
  max: { identity: -Infinity, op: (a, b) => (b > a ? b : a), counts: false },
  count: { identity: 0, op: (a, b) => a + b, counts: true },
};

const compiled = new Map<string, ScanOp>();

export function scanOp(fn: ScanFnName, custom?: CustomScan): ScanOp {
  if (fn !== 'custom') return BUILTIN[fn];
  const key = `${custom!.identity}|${custom!.op}`;
  let s = compiled.get(key);
  if (!s) { s = { identity: custom!.identity, op: compileOp(custom!.op), counts: false }; compiled.set(key, s); }
  return s;
}
