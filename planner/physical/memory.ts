/**
 * The memory ledger of each running query: every memory-holding operator of the query (join
 * builds, aggregates, sorts) takes an account on it, so together they stay within
 * `memoryLimit`; each account may use up to half of the limit before its operator spills.
 */
import type { Settings } from '../../core/config.js';
import { events } from '../../core/events.js';
import { MemoryLedger, type MemoryBudget } from '../../core/memory/index.js';
import { spillDirFactory, type SpillDirFactory, type SpillMetrics } from '../../io/spill/index.js';
import type { PipelineSpec } from './pipeline.js';

/** What an operator needs to stay within the budget: its account and where to spill. */
export interface OperatorMemory {
  account: MemoryBudget;
  spillDir: SpillDirFactory;
  /** reports the operator's figures (peak, spilled bytes) as an `operator-finished` event */
  finished(metrics: SpillMetrics): void;
}

/** Share of the memory limit one operator may hold before it spills. */
export const OPERATOR_SHARE = 0.5;

const ledgers = new Map<number, MemoryLedger>();

function ledgerOf(query: number, s: Settings): MemoryLedger {
  let ledger = ledgers.get(query);
  if (!ledger) { ledger = new MemoryLedger(s.memoryLimit, { name: 'memoryLimit' }); ledgers.set(query, ledger); }
  return ledger;
}

/**
 * Memory for one operator of query `query`, named for metrics and error messages.
 * @example const mem = operatorMemory(query, settings, 'aggregate by id3');
 */
export function operatorMemory(query: number, s: Settings, name: string): OperatorMemory {
  const ledger = ledgerOf(query, s);
  const account = ledger.account(name, { budget: Math.floor(s.memoryLimit * OPERATOR_SHARE) });
  return {
    account,
    spillDir: spillDirFactory(s.spillDir),
    finished(m) {
      events.emitEvent({ type: 'operator-finished', query, operator: name, peakBytes: Math.max(m.peakBytes, account.peak), spilledBytes: m.spilledBytes, partitions: m.partitions, runs: m.runs });
    },
  };
}

/**
 * The account of a stage's partitions in flight (read, decoded, computed, not yet consumed):
 * it shares the query's ledger with the operators, so a source never runs ahead of the budget.
 * Its budget is what an operator's share leaves, so partitions in flight never take the
 * memory an operator below its share is entitled to (a sort's transient copies, say).
 */
export function inFlightMemory(query: number, s: Settings): MemoryBudget {
  return ledgerOf(query, s).account('partitions in flight', { budget: Math.floor(s.memoryLimit * (1 - OPERATOR_SHARE)) });
}

/** The name an aggregate's memory account and metrics go by. */
export function aggName(p: PipelineSpec): string {
  if (p.sink.kind === 'sort') return `sort by ${p.sink.by.join(', ')}`;
  return p.sink.kind === 'agg' ? (p.sink.keys.length ? `aggregate by ${p.sink.keys.join(', ')}` : 'aggregate') : p.sink.kind;
}

/** Sinks whose state grows with the input and so take a memory account: aggregates and full sorts. */
export const holdsMemory = (p: PipelineSpec): boolean => p.sink.kind === 'agg' || (p.sink.kind === 'sort' && p.sink.limit === undefined);

/** Forgets the ledger of a finished query; returns its peak accounted bytes (0 without operators). */
export function endQueryMemory(query: number): number {
  const peak = ledgers.get(query)?.peak ?? 0;
  ledgers.delete(query);
  return peak;
}
