/**
 * The memory ledger (DESIGN.md "Memory"): bytes of ArrayBuffer data that readers and
 * pipeline breakers hold, counted against `memoryLimit`. Operators take an account of their
 * own so their figures show up separately and their share can be smaller than the limit;
 * every account charges its parents, so the ledger always holds the total.
 *
 * Two kinds of reservation: a hard `reserve` fails only when the ledger itself is full
 * (that is a real out-of-memory condition, reported with the figures), while `tryReserve`
 * and `waitFor` also respect each account's own budget (the point at which an operator
 * should spill or a reader should wait).
 */
import { MIN_MEMORY_LIMIT, parseBytes } from '../config.js';
import { ResourceError } from '../errors.js';
import { formatBytes } from './format.js';

/**
 * Below this, operators cannot hold a working block plus their spill buffers.
 * @example new MemoryLedger(MIN_MEMORY_LIMIT) // the smallest ledger there is
 */
export { MIN_MEMORY_LIMIT };

/**
 * What kernels need from a ledger or an account: they accept either.
 * @example
 * function grow(mem: MemoryBudget, bytes: number) { if (!mem.tryReserve(bytes)) spill(); }
 */
export interface MemoryBudget {
  readonly name: string;
  /** Bytes this budget may hold: the memoryLimit for the ledger, the share for an account. */
  readonly limit: number;
  readonly used: number;
  readonly peak: number;
  /** Bytes that could be reserved now without exceeding this budget or any parent's. */
  readonly available: number;
  reserve(bytes: number, who?: string): void;
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
  waitFor(bytes: number, opts?: WaitOptions): Promise<void>;
  account(name: string, opts?: AccountOptions): MemoryAccount;
}

/**
 * Options of {@link MemoryBudget.waitFor}.
 * @example await ledger.waitFor(chunkBytes, { who: 'csv reader', signal: query.signal })
 */
export interface WaitOptions {
  /** Names the waiter in errors; defaults to the account's name. */
  who?: string;
  /** Cancels the wait (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Options of {@link MemoryBudget.account}.
 * @example ledger.account('sort', { budget: 64 * 1024 * 1024 })
 */
export interface AccountOptions {
  /** This account's share in bytes; defaults to the parent's limit. */
  budget?: number;
}

/**
 * A snapshot of one account, for metrics and error messages.
 * @example ledger.accounts()[0] // { name: 'sort', used: 1048576, peak: 4194304, limit: 67108864 }
 */
export interface AccountFigures { name: string; used: number; peak: number; limit: number }

interface Waiter {
  bytes: number;
  pool: Pool;
  resolve(): void;
  reject(e: unknown): void;
  detach(): void;
}

function checkBytes(bytes: number): void {
  if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`memory reservations take a non-negative byte count, got ${bytes}`);
}

abstract class Pool implements MemoryBudget {
  protected used_ = 0;
  protected peak_ = 0;
  protected readonly children = new Set<MemoryAccount>();

  constructor(readonly name: string, protected readonly parent: Pool | undefined) {}

  abstract get limit(): number;
  get used(): number { return this.used_; }
  get peak(): number { return this.peak_; }
  get available(): number {
    const own = Math.max(0, this.limit - this.used_);
    return this.parent ? Math.min(own, this.parent.available) : own;
  }

  protected abstract get ledger(): MemoryLedger;

  /**
   * Reserves `bytes` whatever this account's own share says; throws ResourceError naming
   * the figures and the memoryLimit setting when the ledger cannot hold them.
   */
  reserve(bytes: number, who: string = this.name): void {
    checkBytes(bytes);
    const root = this.ledger;
    if (root.used + bytes > root.limit) throw root.exceeded(bytes, who);
    this.charge(bytes);
  }

  /** Reserves `bytes` if they fit this budget and every parent's; returns whether it did. */
  tryReserve(bytes: number): boolean {
    checkBytes(bytes);
    if (!this.fits(bytes)) return false;
    this.charge(bytes);
    return true;
  }

  /** Gives back bytes reserved earlier through this budget, and wakes waiters that now fit. */
  release(bytes: number): void {
    checkBytes(bytes);
    if (bytes > this.used_ + 0.5) throw new RangeError(`${this.name} releases ${bytes} bytes but holds only ${this.used_}`);
    for (let p: Pool | undefined = this; p; p = p.parent) p.used_ = Math.max(0, p.used_ - bytes);
    this.ledger.pump();
  }

  /**
   * Reserves `bytes` as soon as they fit (backpressure): resolves once they are reserved,
   * immediately when they fit now. Waiters are served first come, first served. Rejects at
   * once with ResourceError when `bytes` exceed a limit on the way, since no release could
   * ever make them fit.
   */
  waitFor(bytes: number, opts: WaitOptions = {}): Promise<void> {
    checkBytes(bytes);
    const who = opts.who ?? this.name;
    for (let p: Pool | undefined = this; p; p = p.parent) {
      if (bytes > p.limit) return Promise.reject(p === this.ledger ? this.ledger.exceeded(bytes, who) : new ResourceError(`${who} waits for ${formatBytes(bytes)}, more than the ${formatBytes(p.limit)} budget of "${p.name}"; raise memoryLimit or lower the chunk size (blocksize)`));
    }
    opts.signal?.throwIfAborted();
    return this.ledger.enqueue(this, bytes, opts.signal);
  }

  /**
   * A sub-account: its own used/peak figures and optional budget, charging this budget too.
   * @example const acc = ledger.account('sort', { budget: 64 << 20 })
   */
  account(name: string, opts: AccountOptions = {}): MemoryAccount {
    const acc = new MemoryAccount(name, this, opts.budget);
    this.children.add(acc);
    return acc;
  }

  /** Figures of the direct sub-accounts, largest holder first. */
  accounts(): AccountFigures[] {
    return [...this.children].map((a) => ({ name: a.name, used: a.used, peak: a.peak, limit: a.limit })).sort((a, b) => b.used - a.used);
  }

  /** @internal whether `bytes` more fit this budget and every parent's */
  fits(bytes: number): boolean {
    for (let p: Pool | undefined = this; p; p = p.parent) if (p.used_ + bytes > p.limit) return false;
    return true;
  }

  /** @internal adds `bytes` here and in every parent */
  charge(bytes: number): void {
    for (let p: Pool | undefined = this; p; p = p.parent) {
      p.used_ += bytes;
      if (p.used_ > p.peak_) p.peak_ = p.used_;
    }
  }

  /** @internal */
  detachChild(a: MemoryAccount): void { this.children.delete(a); }
}

/**
 * The process's (or one query's) memory budget: `memoryLimit` bytes of ArrayBuffer data.
 * @example
 * const ledger = new MemoryLedger('256MiB');
 * const agg = ledger.account('aggregate', { budget: 64 * 1024 * 1024 });
 * if (!agg.tryReserve(stateBytes)) spill();
 * await ledger.waitFor(chunkBytes); // a reader: blocks until earlier chunks are released
 */
export class MemoryLedger extends Pool {
  readonly limit: number;
  private readonly queue: Waiter[] = [];

  /** @throws ResourceError when the limit is below {@link MIN_MEMORY_LIMIT}, naming memoryLimit. */
  constructor(limit: number | string, opts: { name?: string } = {}) {
    super(opts.name ?? 'memoryLimit', undefined);
    this.limit = parseBytes(limit, 'memoryLimit');
    if (this.limit < MIN_MEMORY_LIMIT) {
      throw new ResourceError(`memoryLimit of ${formatBytes(this.limit)} is below the minimum of ${formatBytes(MIN_MEMORY_LIMIT)} that operators need to make progress; set memoryLimit to at least '4MiB'`);
    }
  }

  protected get ledger(): MemoryLedger { return this; }

  /** Requests waiting in {@link MemoryBudget.waitFor}. */
  get waiting(): number { return this.queue.length; }

  /** @internal the error a hard reservation of `bytes` by `who` gets when the ledger is full */
  exceeded(bytes: number, who: string): ResourceError {
    const holders = this.accounts().filter((a) => a.used > 0).slice(0, 3).map((a) => `${a.name} ${formatBytes(a.used)}`).join(', ');
    const need = this.used + bytes;
    return new ResourceError(
      `memory limit exceeded: ${who} needs ${formatBytes(bytes)} more while ${formatBytes(this.used)} of the ${formatBytes(this.limit)} memoryLimit ` +
      `are in use${holders ? ` (${holders})` : ''}; raise memoryLimit to at least '${Math.ceil(need / 2 ** 20)}MiB' (ts.config({ memoryLimit })) or use fewer workers`,
    );
  }

  /** @internal queues a waiter, or reserves at once when nothing is queued and it fits */
  enqueue(pool: Pool, bytes: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.queue.length === 0 && pool.fits(bytes)) {
      pool.charge(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
        // a large waiter leaving may unblock smaller ones behind it
        this.pump();
      };
      const w: Waiter = { bytes, pool, resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(w);
    });
  }

  /** @internal serves waiters in order while the first one fits */
  pump(): void {
    while (this.queue.length > 0) {
      const w = this.queue[0];
      if (!w.pool.fits(w.bytes)) return;
      this.queue.shift();
      w.detach();
      w.pool.charge(w.bytes);
      w.resolve();
    }
  }
}

/**
 * An operator's (or reader's) share of a ledger: its own used/peak and an optional budget;
 * everything it reserves is charged to its parents as well.
 * @example
 * const acc = ledger.account('join build', { budget: 32 << 20 });
 * acc.reserve(bytes);       // fails only when the whole ledger is full
 * acc.used > acc.limit      // over its share: time to spill
 * acc.close();              // gives back whatever it still holds
 */
export class MemoryAccount extends Pool {
  private readonly budget: number | undefined;
  private closed = false;

  constructor(name: string, parent: Pool, budget?: number) {
    super(name, parent);
    if (budget !== undefined) checkBytes(budget);
    this.budget = budget;
  }

  get limit(): number { return this.budget ?? this.parent!.limit; }

  protected get ledger(): MemoryLedger {
    let p: Pool = this.parent!;
    while (!(p instanceof MemoryLedger)) p = (p as MemoryAccount).parent!;
    return p;
  }

  /** Releases everything this account and its sub-accounts hold and detaches it from its parent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.children]) c.close();
    if (this.used_ > 0) this.release(this.used_);
    this.parent!.detachChild(this);
  }
}
