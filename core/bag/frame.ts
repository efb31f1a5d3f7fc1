/**
 * bag.toDataFrame(): a LazyFrame whose source is a bag. The frame's scan points at a source
 * reference that is filled in only when something describes it (a query binding its sources):
 * the bag is computed then, once, and its items become an in-memory source typed like
 * `ts.fromColumns`.
 */
import { SchemaError, TesseraError } from '../errors.js';
import { LazyFrame } from '../lazyframe.js';
import { fromColumns } from '../sources.js';
import type { UdfRunOptions } from '../udf/run.js';
import { sourceRef, type SourceRef } from '../../io/catalog.js';
import { inputsOf, type LogicalPlan } from '../../planner/logical/nodes.js';
import type { Bag } from './bag.js';

/**
 * A source reference whose data is produced on first use; `materialize` sets `spec`, then goes away.
 * @example const m = (scan.source as PendingSourceRef).materialize; if (m) await m();
 */
export type PendingSourceRef = SourceRef & { materialize?: () => Promise<void> };

type Shape = 'object' | 'tuple' | 'scalar';

const shapeOf = (v: unknown): Shape | undefined =>
  v === null || v === undefined ? undefined
    : Array.isArray(v) ? 'tuple'
      : typeof v === 'object' && !(v instanceof Date) && !ArrayBuffer.isView(v) ? 'object' : 'scalar';

/**
 * Columns of a list of items: objects by key, tuples by position, scalars as one column.
 * @example itemColumns([[1, 'a'], [2, 'b']], ['n', 's']) // { n: [1, 2], s: ['a', 'b'] }
 */
export function itemColumns(items: readonly unknown[], columns?: string[]): Record<string, unknown[]> {
  let shape: Shape | undefined;
  for (const x of items) {
    const s = shapeOf(x);
    if (!s) continue;
    if (shape && s !== shape) throw new SchemaError(`bag.toDataFrame(): items mix ${shape}s and ${s}s (${JSON.stringify(x)?.slice(0, 80)}); map them to one shape first`);
    shape = s;
  }
  const out: Record<string, unknown[]> = {};
  const cell = (v: unknown): unknown => (v === undefined ? null : v);
  if (shape === 'object') {
    const names = columns ?? [...new Set(items.flatMap((x) => (x ? Object.keys(x) : [])))];
    for (const c of names) out[c] = items.map((x) => (x ? cell((x as Record<string, unknown>)[c]) : null));
  } else if (shape === 'tuple') {
    const width = columns?.length ?? Math.max(...items.map((x) => (x ? (x as unknown[]).length : 0)));
    for (let i = 0; i < width; i++) out[columns?.[i] ?? String(i)] = items.map((x) => (x ? cell((x as unknown[])[i]) : null));
  } else {
    if (columns && columns.length > 1) throw new SchemaError(`bag.toDataFrame(): the items are single values, so they make one column, but ${columns.length} names were given`);
    out[columns?.[0] ?? 'value'] = items.map(cell);
  }
  if (!Object.keys(out).length) out[columns?.[0] ?? 'value'] = items.map(() => null);
  return out;
}

/**
 * The lazy frame of `bag.toDataFrame(columns)`.
 * @example const df = bagFrame(ts.bag.fromItems([{ a: 1 }]), undefined, {}); await df.collect();
 */
export function bagFrame(bag: Bag<unknown>, columns: string[] | undefined, opts: UdfRunOptions | undefined): LazyFrame {
  const ref: PendingSourceRef = sourceRef({ format: 'memory', paths: ['<bag>'], options: {} });
  let running: Promise<void> | undefined;
  const materialize = (): Promise<void> => (running ??= (async () => {
    const items = await bag.compute(opts);
    const cols = itemColumns(items, columns);
    let frame: LazyFrame;
    try {
      frame = fromColumns(cols);
    } catch (e) {
      if (e instanceof TesseraError) throw new SchemaError(`bag.toDataFrame(): ${e.message.replace(/^fromColumns:\s*/, '')}`, { cause: e });
      throw e;
    }
    if (frame.plan.kind !== 'Scan') throw new Error('fromColumns() did not give a scan');
    ref.spec = frame.plan.source.spec;
    delete ref.materialize;
  })().catch((e: unknown) => {
    running = undefined; // a failed run can be retried
    throw e;
  }));
  ref.materialize = materialize;
  return new LazyFrame({ kind: 'Scan', source: ref, filters: [] });
}

/**
 * Computes the bags behind any `toDataFrame()` sources of `plans` (each once), so the plans
 * can be bound like any other. Queries do this when they describe their sources.
 * @example await materializeBagSources([df.plan]); await df.collect();
 */
export async function materializeBagSources(plans: LogicalPlan[]): Promise<void> {
  const pending: Promise<void>[] = [];
  const walk = (p: LogicalPlan): void => {
    if (p.kind === 'Scan') { const m = (p.source as PendingSourceRef).materialize; if (m) pending.push(m()); }
    for (const c of inputsOf(p)) walk(c);
  };
  plans.forEach(walk);
  await Promise.all(pending);
}
