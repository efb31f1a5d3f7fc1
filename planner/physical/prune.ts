/**
 * Partition pruning from statistics (Parquet row-group min/max): a partition is skipped when
 * a pushed predicate cannot hold for any row in [min, max].
 */
import type { ExprNode } from '../../core/expr/node.js';
import type { ColumnStats, Partition, SourceInfo } from '../../io/source.js';
import type { Scan } from '../logical/nodes.js';
import { temporalFromString } from '../../ops/kernels/eval/util.js';
import type { DType } from '../../core/types.js';

const FLIP: Record<string, string> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', eq: 'eq', ne: 'ne' };

/** Seq numbers of the partitions the scan's filters rule out. */
export function prunedPartitions(scan: Scan, info: SourceInfo): Set<number> {
  const out = new Set<number>();
  if (!scan.filters.length) return out;
  for (const p of info.partitions) if (p.stats && scan.filters.some((f) => cannotMatch(f, p, info.schema))) out.add(p.seq);
  return out;
}

function litValue(v: unknown, t: DType): number | string | undefined {
  if (typeof v === 'string' && (t === 'date' || t === 'timestamp')) { const x = temporalFromString(v, t); return Number.isNaN(x) ? undefined : x; }
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** True when `pred` is false (or null) for every row of the partition. */
export function cannotMatch(pred: ExprNode, part: Partition, schema: Record<string, DType>): boolean {
  if (pred.k === 'bin' && pred.op === 'and') return cannotMatch(pred.l, part, schema) || cannotMatch(pred.r, part, schema);
  if (pred.k === 'bin' && pred.op === 'or') return cannotMatch(pred.l, part, schema) && cannotMatch(pred.r, part, schema);
  let colName: string | undefined, op: string | undefined, raw: unknown;
  if (pred.k === 'bin' && pred.l.k === 'col' && pred.r.k === 'lit') { colName = pred.l.name; op = pred.op; raw = pred.r.value; }
  else if (pred.k === 'bin' && pred.r.k === 'col' && pred.l.k === 'lit') { colName = pred.r.name; op = FLIP[pred.op]; raw = pred.l.value; }
  else if (pred.k === 'isIn' && pred.a.k === 'col') {
    const st = part.stats?.[pred.a.name];
    if (!st) return false;
    const t = schema[pred.a.name];
    return pred.values.every((v) => v === null || outside(st, 'eq', litValue(v, t), part));
  }
  if (!colName || !op || !part.stats?.[colName]) return false;
  const t = schema[colName];
  return outside(part.stats[colName], op, litValue(raw, t), part);
}

function outside(st: ColumnStats, op: string, v: number | string | undefined, part: Partition): boolean {
  if (part.rows !== undefined && st.nullCount === part.rows && part.rows > 0) return true;
  if (v === undefined || st.min === undefined || st.max === undefined || st.min === null || st.max === null) return false;
  if (typeof v !== typeof st.min) return false;
  const min = st.min as number | string, max = st.max as number | string;
  switch (op) {
    case 'gt': return max <= v;
    case 'ge': return max < v;
    case 'lt': return min >= v;
    case 'le': return min > v;
    case 'eq': return v < min || v > max;
    case 'ne': return min === v && max === v && (st.nullCount ?? 1) === 0;
    default: return false;
  }
}
