/**
 * The slot array shared by the key tables: open addressing with linear probing over a
 * power-of-two capacity. Each slot holds a key's hash next to its group id + 1 (0 = empty),
 * so most probes touch one cache line before any key comparison.
 */
import { ensureCapacity } from './grow.js';

/** slots up to which a table keeps a load factor of 1/4 (512 KiB of slots) */
const SMALL_TABLE = 1 << 16;

/** Base of the key tables: slots, growth, and group ids numbered in order of insertion. */
export abstract class OpenTable {
  protected slots: Int32Array;
  protected mask: number;
  private groupHash = new Int32Array(16);
  protected size_ = 0;
  /** a group that lives outside the slots (the null key of a single-key table), -1 if none */
  private unslotted = -1;

  constructor(capacity: number) {
    let cap = 64;
    while (cap < capacity * 4) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Number of distinct keys seen. */
  get size(): number { return this.size_; }

  /** Each group's hash by group id (the null key's, outside the slots, is 0). */
  groupHashes(): Int32Array {
    return this.groupHash.subarray(0, this.size_);
  }

  /** Claims slot index `p` (already scaled by 2) for a new group with hash `h`; returns its id. */
  protected insertAt(p: number, h: number): number {
    const g = this.size_++;
    this.slots[p] = h;
    this.slots[p + 1] = g + 1;
    this.groupHash = ensureCapacity(this.groupHash, g + 1);
    this.groupHash[g] = h;
    // small tables stay at most 1/4 full: nearly every lookup then hits its first slot, which
    // saves branch mispredictions at no cache cost; large ones stay at most 1/2 full
    const cap = this.mask + 1;
    if (this.size_ * (cap <= SMALL_TABLE ? 4 : 2) > cap) this.rehash();
    return g;
  }

  /** Adds the one group that is never looked up through the slots; returns its id. */
  protected addUnslotted(): number {
    const g = this.size_++;
    this.groupHash = ensureCapacity(this.groupHash, g + 1);
    this.unslotted = g;
    return g;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2, mask = cap - 1, wrap = (mask << 1) | 1;
    const slots = new Int32Array(cap * 2), gh = this.groupHash;
    for (let g = 0; g < this.size_; g++) {
      if (g === this.unslotted) continue;
      const h = gh[g];
      let p = (h & mask) << 1;
      while (slots[p + 1] !== 0) p = (p + 2) & wrap;
      slots[p] = h;
      slots[p + 1] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
