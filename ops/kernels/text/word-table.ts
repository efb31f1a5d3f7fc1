/**
 * An open-addressing hash table of words (byte strings) with a count each.
 *
 * Keys live back to back in one byte arena in first-appearance order, so the arena and the
 * entry offsets already are a utf8 column (core/types.ts) and exporting copies typed arrays
 * instead of building a string per key.
 *
 * Everything the hot loop touches is in one Int32Array `tab`: the length masks of
 * word-hash.ts at [0, 18), then from {@link SLOT_BASE} one slot of four ints per position:
 * (k0, k1, count, id + 1), where a short word stores its key pair and a long word stores
 * (0, hash). id + 1 = 0 marks an empty slot. One typed array means one set of V8 map and
 * bounds checks per word instead of four, and the count sits in the cache line already read.
 * Slot counts stop at {@link SLOT_COUNT_LIMIT}; beyond it they continue in `spill` (Float64),
 * so counts stay exact past 2^31.
 */
import { longHash, shortHash, WORD_MASKS } from './word-hash.js';

/** Where slots start in `tab`, after the masks. */
export const SLOT_BASE = 32;
/** A slot count at this value is moved to `spill` before the next increment. */
export const SLOT_COUNT_LIMIT = 0x3fffffff;

/**
 * The table's storage; fields are public so the counting kernel can hold them in locals.
 * @example const t = new WordTable(); t.add(bytes, 0, 4, 1);
 */
export class WordTable {
  tab: Int32Array;
  /** 32 - log2(slot count): a slot's home is the top bits of the hash. */
  shift: number;
  /** Start of entry i's bytes in `arena`; `offsets[size]` is the bytes used. */
  offsets: Int32Array;
  /** Lowercased words; always 4 bytes longer than used, so 4-byte reads never run out. */
  arena: Uint8Array;
  arenaView: DataView;
  /** Counts beyond what the slots hold, per entry id. */
  spill: Float64Array;
  size = 0;

  /** @param initialCapacity distinct words to hold before the first growth. */
  constructor(initialCapacity = 1024) {
    let bits = 4;
    while (1 << bits < initialCapacity * 2 && bits < 28) bits++;
    this.tab = newTab(bits);
    this.shift = 32 - bits;
    const entries = 1 << (bits - 1);
    this.offsets = new Int32Array(entries + 1);
    this.spill = new Float64Array(entries);
    this.arena = new Uint8Array(entries * 8 + 4);
    this.arenaView = new DataView(this.arena.buffer);
  }

  /** Number of slots (a power of two). */
  get capacity(): number { return (this.tab.length - SLOT_BASE) >> 2; }

  /**
   * Adds `times` to the count of the word in bytes [s, e) of `b` (lowercased UTF-8, as the
   * kernel produces it; any bytes work), inserting it when new.
   * @example t.add(new TextEncoder().encode('word'), 0, 4, 1)
   */
  add(b: Uint8Array, s: number, e: number, times: number): void {
    const len = e - s;
    let k0 = 0, k1 = 0;
    // a key pair encodes the length only when no byte is 0; other keys go the long way
    let short = len > 0 && len < 8;
    for (let k = 0; short && k < len; k++) {
      const x = b[s + k];
      if (x === 0) short = false;
      else if (k < 4) k0 |= x << (24 - 8 * k);
      else k1 |= x << (56 - 8 * k);
    }
    if (short) this.addKey(k0, k1, shortHash(k0, k1), b, s, len, times);
    else {
      const h = longHash(b, s, e);
      this.addKey(0, h, h, b, s, len, times);
    }
  }

  /**
   * Adds every entry of `other` with its count, in `other`'s first-appearance order. The keys
   * come from `other`'s slots, so no word is hashed again.
   * @example coordinatorTable.merge(workerTable)
   */
  merge(other: WordTable): void {
    const otab = other.tab, n = other.size, slotOf = new Int32Array(n);
    for (let j = SLOT_BASE; j < otab.length; j += 4) if (otab[j + 3] !== 0) slotOf[otab[j + 3] - 1] = j;
    // merging a table into itself must read a snapshot (inserts move the arrays)
    const self = other === this, counts = other.counts();
    const off = self ? other.offsets.slice(0, n + 1) : other.offsets, arena = self ? other.arena.slice() : other.arena;
    const keys = self ? otab.slice() : otab;
    for (let id = 0; id < n; id++) {
      const j = slotOf[id], k0 = keys[j], k1 = keys[j + 1];
      this.addKey(k0, k1, k0 !== 0 ? shortHash(k0, k1) : k1, arena, off[id], off[id + 1] - off[id], counts[id]);
    }
  }

  /**
   * Adds `times` to the word whose bytes are b[s, s + len), given its key (k0, k1) and hash h
   * as word-hash.ts defines them (for callers that computed them on the way).
   * @example t.addKey(k0, k1, shortHash(k0, k1), bytes, 0, 3, 1)
   */
  addKey(k0: number, k1: number, h: number, b: Uint8Array, s: number, len: number, times: number): void {
    const tab = this.tab, mask = this.capacity - 1;
    let i = h >>> this.shift;
    for (;;) {
      const j = SLOT_BASE + (i << 2);
      const id1 = tab[j + 3];
      if (id1 === 0) { this.insert(j, k0, k1, b, s, len, times); return; }
      if (tab[j] === k0 && tab[j + 1] === k1 && (k0 !== 0 || this.sameBytes(id1 - 1, b, s, len))) {
        if (times !== 1) this.spill[id1 - 1] += times;
        else {
          if (tab[j + 2] >= SLOT_COUNT_LIMIT) this.spillSlot(j);
          tab[j + 2]++;
        }
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Moves a full slot count to `spill` so the slot can count on. */
  private spillSlot(j: number): void {
    this.spill[this.tab[j + 3] - 1] += this.tab[j + 2];
    this.tab[j + 2] = 0;
  }

  /**
   * Counts per entry id, in first-appearance order.
   * @example t.counts()[0] // count of the first word seen
   */
  counts(): Float64Array {
    const out = this.spill.slice(0, this.size), tab = this.tab;
    for (let j = SLOT_BASE; j < tab.length; j += 4) if (tab[j + 3] !== 0) out[tab[j + 3] - 1] += tab[j + 2];
    return out;
  }

  private sameBytes(id: number, b: Uint8Array, s: number, len: number): boolean {
    const o = this.offsets[id];
    if (this.offsets[id + 1] - o !== len) return false;
    const arena = this.arena;
    for (let k = 0; k < len; k++) if (arena[o + k] !== b[s + k]) return false;
    return true;
  }

  private insert(j: number, k0: number, k1: number, b: Uint8Array, s: number, len: number, times: number): void {
    const id = this.size;
    if (id + 1 >= this.offsets.length) this.growEntries();
    const o = this.offsets[id];
    if (o + len + 4 > this.arena.length) this.growArena(o + len + 4);
    const arena = this.arena;
    for (let k = 0; k < len; k++) arena[o + k] = b[s + k];
    this.offsets[id + 1] = o + len;
    this.size = id + 1;
    const tab = this.tab;
    tab[j] = k0; tab[j + 1] = k1; tab[j + 3] = id + 1;
    if (times === 1) tab[j + 2] = 1;
    else this.spill[id] = times;
    if (2 * this.size > this.capacity) this.growTab();
  }

  private growEntries(): void {
    const n = this.spill.length * 2;
    const offsets = new Int32Array(n + 1);
    offsets.set(this.offsets);
    const spill = new Float64Array(n);
    spill.set(this.spill);
    this.offsets = offsets;
    this.spill = spill;
  }

  private growArena(need: number): void {
    let n = this.arena.length * 2;
    while (n < need) n *= 2;
    const arena = new Uint8Array(n);
    arena.set(this.arena.subarray(0, this.offsets[this.size]));
    this.arena = arena;
    this.arenaView = new DataView(arena.buffer);
  }

  private growTab(): void {
    // 4x while small: a fresh table per task reaches a corpus vocabulary in half the rehashes
    const bits = Math.min(30, 32 - this.shift + (this.shift > 16 ? 2 : 1));
    this.tab = rehash(this.tab, bits);
    this.shift = 32 - bits;
  }
}

/**
 * The slots of `old` moved into a fresh table of 2^bits slots. A function of its own: code
 * after a long loop has not run when V8 compiles the loop on stack, so in a method that goes
 * on to store fields it was compiled without feedback and deoptimized at every growth.
 */
function rehash(old: Int32Array, bits: number): Int32Array {
  const tab = newTab(bits), mask = (1 << bits) - 1, shift = 32 - bits;
  for (let j = SLOT_BASE; j < old.length; j += 4) {
    if (old[j + 3] === 0) continue;
    const k0 = old[j], k1 = old[j + 1];
    let i = (k0 !== 0 ? shortHash(k0, k1) : k1) >>> shift;
    while (tab[SLOT_BASE + (i << 2) + 3] !== 0) i = (i + 1) & mask;
    const to = SLOT_BASE + (i << 2);
    tab[to] = k0; tab[to + 1] = k1; tab[to + 2] = old[j + 2]; tab[to + 3] = old[j + 3];
  }
  return tab;
}

function newTab(bits: number): Int32Array {
  const tab = new Int32Array(SLOT_BASE + (4 << bits));
  tab.set(WORD_MASKS);
  return tab;
}
