/**
 * The queue between the coordinator and a pull-based operator (external sort): a consumer
 * that stops (fails or returns) must never leave the producer waiting.
 */
import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../planner/physical/async-queue.js';

/** Resolves to 'pending' when `p` has not settled within a few turns of the event loop. */
async function settled<T>(p: Promise<T>): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    p.then(() => 'resolved' as const, () => 'rejected' as const),
    new Promise<'pending'>((res) => setTimeout(() => res('pending'), 50)),
  ]);
}

describe('AsyncQueue', () => {
  it('hands items over in order and resolves each push once taken', async () => {
    const q = new AsyncQueue<number>();
    const seen: number[] = [];
    const consumer = (async () => { for await (const x of q) seen.push(x); })();
    for (let i = 0; i < 5; i++) await q.push(i);
    q.end();
    await consumer;
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('a consumer that throws rejects the pending push and every later one', { timeout: 10_000 }, async () => {
    const q = new AsyncQueue<number>();
    const consumer = (async () => {
      for await (const x of q) if (x === 1) throw new Error('consumer failed');
    })();
    consumer.catch(() => undefined);
    await q.push(0);
    const second = q.push(1);
    await expect(consumer).rejects.toThrow('consumer failed');
    expect(await settled(second)).not.toBe('pending');
    await expect(q.push(2)).rejects.toThrow(/stopped/);
  });

  it('a consumer that returns early does not leave the producer waiting', { timeout: 10_000 }, async () => {
    const q = new AsyncQueue<number>();
    const consumer = (async () => { for await (const x of q) if (x === 0) break; })();
    const first = q.push(0);
    await consumer;
    expect(await settled(first)).not.toBe('pending');
    await expect(q.push(1)).rejects.toThrow(/stopped/);
  });
});
