/**
 * An open-addressing hash table of byte strings with a count each, built for word counting:
 * keys live back to back in one byte arena in first-appearance order, so the arena and the
 * entry offsets already are a utf8 column (core/types.ts) and exporting copies two typed
 * arrays instead of building a string per key.
 *
 * Slots are pairs (hash, entry id + 1) in one Int32Array (0 = empty) probed linearly from a
 * Fibonacci-hashed start; keys are compared only when the full 32-bit hashes agree. The table
 * doubles at load 1/2, rehashing from the stored hashes without touching the keys.
 */

/** FNV-1a offset basis: the hash of the empty string. */
export const HASH_SEED = 0x811c9dc5 | 0;
/** FNV-1a prime: one xor and one multiply per byte, so the kernel hashes while it scans. */
export const HASH_PRIME = 0x01000193;

/**
 * FNV-1a hash of bytes [s, e): the same function the counting kernel folds in byte by byte.
 * @example hashWord(new TextEncoder().encode('word'), 0, 4)
 */
export function hashWord(b: Uint8Array, s: number, e: number): number {
  let h = HASH_SEED;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], HASH_PRIME);
  return h;
}

/**
 * The table's storage; fields are public so the counting kernel can keep them in locals.
 * @example const t = new WordTable(); t.add(bytes, 0, 4, hashWord(bytes, 0, 4), 1);
 */
export class WordTable {
  /** (hash, id + 1) pairs; length 2 x capacity. */
  slots: Int32Array;
  /** 32 - log2(capacity): the slot index is the top bits of hash x golden ratio. */
  shift: number;
  mask: number;
  /** Start of entry i's bytes in `arena`; `offsets[size]` is the bytes used. */
  offsets: Int32Array;
  arena: Uint8Array;
  counts: Float64Array;
  size = 0;
  total = 0;

  constructor(initialCapacity = 1024) {
    let bits = 4;
    while (1 << bits < initialCapacity * 2 && bits < 30) bits++;
    this.slots = new Int32Array(2 << bits);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    const entries = 1 << (bits - 1);
    this.offsets = new Int32Array(entries + 1);
    this.counts = new Float64Array(entries);
    this.arena = new Uint8Array(entries * 8);
  }

  /**
   * Adds `times` to the count of key bytes [s, e) of `b` whose hash is `h`, inserting the key
   * when new. Returns the entry id.
   * @example t.add(bytes, 0, bytes.length, hashWord(bytes, 0, bytes.length), 1)
   */
  add(b: Uint8Array, s: number, e: number, h: number, times: number): number {
    const slots = this.slots, mask = this.mask, offsets = this.offsets, arena = this.arena, len = e - s;
    let i = Math.imul(h, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const id = slots[2 * i + 1] - 1;
      if (id < 0) break;
      if (slots[2 * i] === h) {
        const o = offsets[id];
        if (offsets[id + 1] - o === len) {
          let k = 0;
          while (k < len && arena[o + k] === b[s + k]) k++;
          if (k === len) { this.counts[id] += times; return id; }
        }
      }
      i = (i + 1) & mask;
    }
    const id = this.newEntry(i, h, len);
    this.arena.set(b.subarray(s, e), this.offsets[id]);
    this.counts[id] = times;
    return id;
  }

  /**
   * Claims empty slot `slot` for a new key of `len` bytes with hash `h` and returns its id;
   * the caller writes the key at `arena[offsets[id]]` (re-read `arena`: it may have moved)
   * and sets its count. May grow every array.
   */
  newEntry(slot: number, h: number, len: number): number {
    const id = this.size;
    if (id + 1 >= this.offsets.length) this.growEntries();
    const o = this.offsets[id];
    if (o + len > this.arena.length) this.growArena(o + len);
    this.offsets[id + 1] = o + len;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = id + 1;
    this.size = id + 1;
    if (2 * this.size > this.mask + 1) this.growSlots();
    return id;
  }

  private growEntries(): void {
    const n = this.counts.length * 2;
    const offsets = new Int32Array(n + 1);
    offsets.set(this.offsets);
    const counts = new Float64Array(n);
    counts.set(this.counts);
    this.offsets = offsets;
    this.counts = counts;
  }

  private growArena(need: number): void {
    let n = this.arena.length * 2;
    while (n < need) n *= 2;
    const arena = new Uint8Array(n);
    arena.set(this.arena.subarray(0, this.offsets[this.size]));
    this.arena = arena;
  }

  private growSlots(): void {
    const old = this.slots;
    const bits = 33 - this.shift;
    const slots = new Int32Array(2 << bits);
    const mask = (1 << bits) - 1, shift = 32 - bits;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      const h = old[j];
      let i = Math.imul(h, 0x9e3779b1) >>> shift;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = old[j + 1];
    }
    this.slots = slots;
    this.mask = mask;
    this.shift = shift;
  }
}
