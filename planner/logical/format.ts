/** Indented text form of a logical plan, as printed by explain(). */
import { basename } from 'node:path';
import { exprName, formatExpr } from '../../core/expr/node.js';
import type { LogicalPlan, Scan } from './nodes.js';
import { prunedPartitions } from '../physical/prune.js';

export function formatPlan(p: LogicalPlan, indent = 0): string[] {
  const pad = '  '.repeat(indent);
  const lines = [pad + nodeLine(p)];
  if (p.kind !== 'Scan') lines.push(...formatPlan(p.input, indent + 1));
  if (p.kind === 'Join') lines.push(`${pad}  build side (read first; within its memory share hashed in memory (inner/left joins: probed in the workers), beyond it spilled by key hash):`, ...formatPlan(p.right, indent + 2));
  return lines;
}

function nodeLine(p: LogicalPlan): string {
  switch (p.kind) {
    case 'Scan': return scanLine(p);
    case 'Filter': return `Filter ${formatExpr(p.predicate)}`;
    case 'Project': return `Project [${p.exprs.map((e) => (e.k === 'col' ? e.name : `${formatExpr(e.k === 'alias' ? e.a : e)} AS ${exprName(e)}`)).join(', ')}]`;
    case 'Explode': return `Explode [${p.exprs.map((e) => (e.k === 'col' ? e.name : `${formatExpr(e.k === 'alias' ? e.a : e)} AS ${exprName(e)}`)).join(', ')}] (one row per piece)`;
    case 'WordCount': return `WordCount [${p.word}, ${p.count}] over str.split(str.lower(${formatExpr(p.expr)}), /[^\\p{L}]+/u)${p.dropEmpty ? ` where ${p.word} != ""` : ''} (fused byte-level kernel)`;
    case 'Join': return `Join ${p.how} on=[${p.on.join(', ')}] (probe: left input streamed in order)`;
    case 'Aggregate': return `Aggregate keys=[${p.keys.join(', ')}] aggs=[${p.aggs.map((a) => `${exprName(a)}: ${formatExpr(a.k === 'alias' ? a.a : a)}`).join(', ')}]`;
    case 'Sort': return `Sort by=[${p.by.map((b, i) => `${b} ${p.descending[i] ? 'DESC' : 'ASC'}`).join(', ')}] nulls last`;
    case 'Limit': return `Limit ${p.n}`;
    case 'Transform': return `Transform ${p.name} (coordinator, in memory)`;
    case 'Deferred': return `${p.name} (unbound)`;
  }
}

function scanLine(s: Scan): string {
  const spec = s.source.spec, info = s.source.info;
  const what = spec.format === 'memory' ? 'MemoryScan' : `${spec.format[0].toUpperCase()}${spec.format.slice(1)}Scan`;
  const files = info ? info.files.map((f) => basename(f)) : spec.paths;
  const fileText = spec.format === 'memory' ? '' : ` ${files.length <= 3 ? files.join(', ') : `${files.slice(0, 2).join(', ')} +${files.length - 2} files`}`;
  const cols = s.columns ?? (info ? Object.keys(info.schema) : []);
  let line = `${what}${fileText} columns=[${cols.join(', ')}]`;
  if (s.filters.length) line += ` filters=[${s.filters.map(formatExpr).join(' AND ')}]`;
  if (info) {
    const pruned = prunedPartitions(s, info).size;
    line += ` partitions=${info.partitions.length - pruned}/${info.partitions.length}`;
    if (pruned) line += ` (pruned ${pruned} by statistics)`;
  }
  return line;
}
