/**
 * A one-producer, one-consumer queue that turns pushes into an async iterable, so a
 * pull-based operator (external sort) can consume results the coordinator receives one by
 * one. `push` resolves once the consumer has taken the item (backpressure of one).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer?: () => void;
  private taken?: () => void;

  /** Hands an item to the consumer; resolves when it has been taken. */
  push(item: T): Promise<void> {
    this.items.push(item);
    this.wakeConsumer?.();
    return new Promise<void>((res) => { this.taken = res; });
  }

  /** No more items: the consumer's loop ends after the ones queued. */
  end(): void {
    this.ended = true;
    this.wakeConsumer?.();
  }

  /** Ends the consumer's loop with `error` (the producer failed or was cancelled). */
  fail(error: unknown): void {
    this.failure = { error };
    this.taken?.();
    this.wakeConsumer?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.failure) throw this.failure.error;
      if (this.items.length) {
        const item = this.items.shift()!;
        this.taken?.();
        yield item;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((res) => { this.wakeConsumer = res; });
      this.wakeConsumer = undefined;
    }
  }
}
