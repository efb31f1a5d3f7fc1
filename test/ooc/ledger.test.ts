/** The memory ledger: accounting, per-operator accounts, hard and soft reservations, backpressure. */
import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../core/errors.js';
import { formatBytes, MemoryLedger, MIN_MEMORY_LIMIT } from '../../core/memory/index.js';

const MiB = 1024 * 1024;
const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryLedger', () => {
  it('refuses a limit below the workable minimum, naming memoryLimit', () => {
    expect(() => new MemoryLedger(MiB)).toThrow(ResourceError);
    expect(() => new MemoryLedger('1MiB')).toThrow(/memoryLimit of 1\.0 MiB is below the minimum of 4\.0 MiB/);
    expect(new MemoryLedger('4MiB').limit).toBe(MIN_MEMORY_LIMIT);
    expect(new MemoryLedger(8 * MiB).limit).toBe(8 * MiB);
  });

  it('counts used and peak; a hard reservation that does not fit fails with the figures and charges nothing', () => {
    const l = new MemoryLedger('8MiB');
    const scan = l.account('scan'), agg = l.account('aggregate');
    scan.reserve(3 * MiB);
    agg.reserve(4 * MiB);
    expect(l.used).toBe(7 * MiB);
    scan.release(2 * MiB);
    expect([l.used, l.peak, scan.used, scan.peak]).toEqual([5 * MiB, 7 * MiB, MiB, 3 * MiB]);
    const e = (() => { try { agg.reserve(4 * MiB, 'hash table'); } catch (x) { return x as Error; } return undefined; })();
    expect(e).toBeInstanceOf(ResourceError);
    expect(e!.message).toContain('hash table needs 4.0 MiB more while 5.0 MiB of the 8.0 MiB memoryLimit are in use');
    expect(e!.message).toContain('aggregate 4.0 MiB');
    expect(e!.message).toMatch(/raise memoryLimit to at least '9MiB'/);
    expect(l.used).toBe(5 * MiB);
    expect(agg.used).toBe(4 * MiB);
  });

  it('an account budget is soft for reserve and hard for tryReserve; sub-accounts charge every parent', () => {
    const l = new MemoryLedger('16MiB');
    const op = l.account('join', { budget: 2 * MiB });
    const build = op.account('build');
    expect(build.limit).toBe(2 * MiB);
    expect(build.tryReserve(MiB)).toBe(true);
    expect(op.tryReserve(1.5 * MiB)).toBe(false);
    expect(op.available).toBe(MiB);
    build.reserve(3 * MiB);
    expect([build.used, op.used, l.used]).toEqual([4 * MiB, 4 * MiB, 4 * MiB]);
    expect(op.used > op.limit).toBe(true);
    expect(op.tryReserve(1)).toBe(false);
    expect(l.accounts()).toEqual([{ name: 'join', used: 4 * MiB, peak: 4 * MiB, limit: 2 * MiB }]);
    op.close();
    expect([build.used, op.used, l.used]).toEqual([0, 0, 0]);
    expect(l.accounts()).toEqual([]);
    expect(() => l.release(1)).toThrow(RangeError);
    expect(() => l.reserve(-1)).toThrow(RangeError);
  });

  it('waitFor reserves at once when it fits, else first come first served as memory is released', async () => {
    const l = new MemoryLedger('4MiB');
    const reader = l.account('reader');
    await reader.waitFor(3 * MiB);
    const order: string[] = [];
    const a = reader.waitFor(2 * MiB).then(() => order.push('a'));
    const b = reader.waitFor(MiB / 2).then(() => order.push('b'));
    await tick();
    // b would fit, but a came first
    expect(order).toEqual([]);
    expect(l.waiting).toBe(2);
    reader.release(MiB);
    await a;
    await tick();
    expect(order).toEqual(['a']);
    reader.release(MiB);
    await b;
    expect(order).toEqual(['a', 'b']);
    expect(l.used).toBe(3.5 * MiB);
    expect(l.waiting).toBe(0);
  });

  it('waitFor respects the account budget, rejects what can never fit, and can be cancelled', async () => {
    const l = new MemoryLedger('8MiB');
    const acc = l.account('chunks', { budget: 2 * MiB });
    await expect(acc.waitFor(3 * MiB)).rejects.toThrow(/more than the 2\.0 MiB budget of "chunks"/);
    await expect(l.waitFor(9 * MiB, { who: 'reader' })).rejects.toBeInstanceOf(ResourceError);
    await acc.waitFor(2 * MiB);
    const ac = new AbortController();
    const stuck = acc.waitFor(MiB, { signal: ac.signal });
    const behind = l.waitFor(MiB);
    await tick();
    expect(l.waiting).toBe(2);
    ac.abort(new Error('query cancelled'));
    await expect(stuck).rejects.toThrow('query cancelled');
    // the cancelled waiter no longer blocks the queue
    await behind;
    expect(l.used).toBe(3 * MiB);
    expect(acc.used).toBe(2 * MiB);
  });

  it('formats figures in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
