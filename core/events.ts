/**
 * The engine's one stream of execution events. The progress bar, query metrics and tests that
 * assert "read once" all listen here; nothing else reaches into the scheduler's state.
 */
import { EventEmitter } from 'node:events';

export type EngineEvent =
  | { type: 'query-start'; query: number; outputs: number; partitions: number }
  | { type: 'partition-scheduled'; query: number; source: string; seq: number }
  | { type: 'partition-finished'; query: number; source: string; seq: number; thread: number; rowsRead: number; bytes: number; ms: number; invalidUtf8?: number }
  /** a memory-holding operator (join build, spilling aggregate, sort) finished: its peak and what it spilled */
  | { type: 'operator-finished'; query: number; operator: string; peakBytes: number; spilledBytes: number; partitions: number; runs: number }
  | { type: 'query-end'; query: number; ms: number; error?: string };

class Events extends EventEmitter {
  /** queries whose events nobody sees (the engine's own warm-up, core/warm-up.ts) */
  private readonly muted = new Set<number>();
  emitEvent(e: EngineEvent): void { if (!this.muted.has(e.query)) this.emit('event', e); }
  /** Hides the events of `query` until {@link unmute}. */
  mute(query: number): void { this.muted.add(query); }
  unmute(query: number): void { this.muted.delete(query); }
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(fn: (e: EngineEvent) => void): () => void {
    this.on('event', fn);
    return () => this.off('event', fn);
  }
}

/**
 * Engine events.
 * @example
 * const off = ts.events.subscribe((e) => { if (e.type === 'partition-finished') console.log(e.seq); });
 */
export const events = new Events();
