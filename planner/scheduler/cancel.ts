/**
 * Cancellation of running queries: a query started with `{ signal }` stops dispatching
 * partitions once the signal aborts and fails with the signal's reason; operators then
 * release their memory and remove their spill files as the failure unwinds.
 */
const signals = new Map<number, AbortSignal>();

/** Registers the signal of query `query` (none: the query cannot be cancelled). */
export function setQuerySignal(query: number, signal: AbortSignal | undefined): void {
  if (signal) signals.set(query, signal);
}

/** Forgets a finished query's signal. */
export function clearQuerySignal(query: number): void {
  signals.delete(query);
}

/**
 * Throws the abort reason when query `query` was cancelled.
 * @example throwIfCancelled(query); // before scheduling more work
 */
export function throwIfCancelled(query: number): void {
  signals.get(query)?.throwIfAborted();
}

/** A promise that rejects when query `query` is cancelled (never settles otherwise). */
export function whenCancelled(query: number): Promise<never> | undefined {
  const signal = signals.get(query);
  if (!signal) return undefined;
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
