/**
 * A one-producer, one-consumer queue that turns pushes into an async iterable, so a
 * pull-based operator (external sort) can consume results the coordinator receives one by
 * one. `push` resolves once the consumer has taken the item (backpressure of one), and
 * rejects once the consumer has stopped (it failed or returned early): the producer is never
 * left waiting for a taker that is gone.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer?: () => void;
  private taken?: { resolve(): void; reject(e: unknown): void };

  /** Hands an item to the consumer; resolves when it has been taken. */
  push(item: T): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the queue\'s consumer stopped'));
    this.items.push(item);
    this.wakeConsumer?.();
    return new Promise<void>((resolve, reject) => { this.taken = { resolve, reject }; });
  }

  /** No more items: the consumer's loop ends after the ones queued. */
  end(): void {
    this.ended = true;
    this.wakeConsumer?.();
  }

  /** Ends the consumer's loop with `error` (the producer failed or was cancelled). */
  fail(error: unknown): void {
    this.failure = { error };
    this.settle();
    this.wakeConsumer?.();
  }

  private settle(error?: unknown): void {
    const t = this.taken;
    this.taken = undefined;
    if (error === undefined) t?.resolve();
    else t?.reject(error);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      while (true) {
        if (this.failure) throw this.failure.error;
        if (this.items.length) {
          const item = this.items.shift()!;
          this.settle();
          yield item;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((res) => { this.wakeConsumer = res; });
        this.wakeConsumer = undefined;
      }
    } finally {
      // the consumer is gone (done, failed or returned early): a waiting producer learns it now
      this.stopped = true;
      this.items = [];
      this.settle(new Error('the queue\'s consumer stopped'));
    }
  }
}
