/**
 * Maps rows of key columns to dense group ids, numbered in order of first appearance, with an
 * open-addressing (linear probing, power-of-two capacity) table. Each slot holds the key's
 * hash next to its group id, so most probes touch one cache line before any key comparison.
 */
import type { Column, DType } from '../../../core/types.js';
import { asFloat64, ensureCapacity } from './grow.js';
import { fmix, hashNumber, mixWord, tailWord } from './hash.js';
import { keyStoreFor, NumKeyStore, Utf8KeyStore, type KeyStore } from './key-store.js';

const REC = 5;
/** slots up to which the table keeps a load factor of 1/4 (512 KiB of slots) */
const SMALL_TABLE = 1 << 16;

/** Folds the words of bytes [p, e) into `h`, as hashBytes does past the first 16 bytes. */
function mixRest(dv: DataView, b: Uint8Array, p: number, e: number, h: number): number {
  for (const end4 = e - 3; p < end4; p += 4) h = mixWord(h, dv.getInt32(p, true));
  return p < e ? mixWord(h, tailWord(b, p, e)) : h;
}

/**
 * Group ids for rows of one or more key columns. Null keys form their own group (per column,
 * in multi-key tuples); -0 equals 0 and NaN equals NaN, as in DuckDB.
 * @example
 * const t = new KeyTable(['utf8']);
 * const gids = t.groupIds([col], col.length); // Int32Array, 0-based first-appearance ids
 * const [keys] = t.keyColumns();
 */
export class KeyTable {
  readonly stores: KeyStore[];
  private slots: Int32Array;
  private mask: number;
  private groupHash = new Int32Array(16);
  private size_ = 0;
  /** group of the null key in the single-key fast paths (-1: none yet) */
  private nullGroup = -1;
  private hashes = new Int32Array(0);
  /** single utf8 key: per group [length, first four little-endian words] */
  private rec = new Int32Array(16 * REC);

  constructor(types: DType[], capacity = 64) {
    this.stores = types.map(keyStoreFor);
    let cap = 64;
    while (cap < capacity * 4) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Number of distinct keys seen. */
  get size(): number { return this.size_; }

  /**
   * Writes the group id of rows [0, n) into `out` (allocated when absent or too small) and
   * returns it. New keys get the next ids, in row order.
   */
  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    if (!out || out.length < n) out = new Int32Array(n);
    if (cols.length === 1) {
      const c = cols[0];
      if (c.type === 'utf8') this.groupUtf8(c, n, out);
      else this.groupNumeric(c, n, out);
    } else this.groupGeneral(cols, n, out);
    return out;
  }

  /** The distinct keys, one column per key, in group-id order. */
  keyColumns(): Column[] {
    return this.stores.map((s) => s.toColumn());
  }

  /**
   * Single utf8 key. Each group keeps its length and first 16 bytes as four words in `rec`;
   * a row's words come out of hashing anyway, so a hit is confirmed by five integer compares
   * (plus a byte compare beyond 16 bytes) instead of a byte loop over the key arena.
   */
  private groupUtf8(col: Column, n: number, out: Int32Array): void {
    const st = this.stores[0] as Utf8KeyStore;
    const rb = col.values as Uint8Array, off = col.offsets!, valid = col.valid;
    const dv = new DataView(rb.buffer, rb.byteOffset, rb.byteLength);
    let slots = this.slots, mask = this.mask, rec = this.rec;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) { out[i] = this.nullKeyGroup(); continue; }
      const s = off[i], e = off[i + 1], len = e - s;
      let h = len, w0 = 0, w1 = 0, w2 = 0, w3 = 0;
      if (len > 0) {
        w0 = len >= 4 ? dv.getInt32(s, true) : tailWord(rb, s, e);
        h = mixWord(h, w0);
        if (len > 4) {
          w1 = len >= 8 ? dv.getInt32(s + 4, true) : tailWord(rb, s + 4, e);
          h = mixWord(h, w1);
          if (len > 8) {
            w2 = len >= 12 ? dv.getInt32(s + 8, true) : tailWord(rb, s + 8, e);
            h = mixWord(h, w2);
            if (len > 12) {
              w3 = len >= 16 ? dv.getInt32(s + 12, true) : tailWord(rb, s + 12, e);
              h = mixWord(h, w3);
              if (len > 16) h = mixRest(dv, rb, s + 16, e, h);
            }
          }
        }
      }
      h = fmix(h);
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          const g = this.size_;
          st.pushBytes(rb, s, e);
          rec = this.rec = ensureCapacity(this.rec, (g + 1) * REC);
          const r = g * REC;
          rec[r] = len; rec[r + 1] = w0; rec[r + 2] = w1; rec[r + 3] = w2; rec[r + 4] = w3;
          this.insertAt(p, h);
          slots = this.slots; mask = this.mask;
          out[i] = g;
          break;
        }
        if (slots[p] === h) {
          const g = id - 1, r = g * REC;
          // one branch for all five compares: they almost always all succeed
          if (((rec[r] ^ len) | (rec[r + 1] ^ w0) | (rec[r + 2] ^ w1) | (rec[r + 3] ^ w2) | (rec[r + 4] ^ w3)) === 0 &&
              (len <= 16 || st.equalsFrom(g, 16, rb, s + 16))) { out[i] = g; break; }
        }
        p = (p + 2) & (mask << 1 | 1);
      }
    }
  }

  private groupNumeric(col: Column, n: number, out: Int32Array): void {
    const st = this.stores[0] as NumKeyStore;
    const v = asFloat64(col.values), valid = col.valid;
    let slots = this.slots, mask = this.mask;
    // the null group is never in `slots`, so a slot hit is always a non-null key
    let kv = st.vals;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) { out[i] = this.nullKeyGroup(); kv = st.vals; continue; }
      const x = v[i];
      const h = hashNumber(x);
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          const g = this.size_;
          st.pushValue(x);
          kv = st.vals;
          this.insertAt(p, h);
          slots = this.slots; mask = this.mask;
          out[i] = g;
          break;
        }
        if (slots[p] === h) {
          const g = id - 1, y = kv[g];
          if (y === x || (x !== x && y !== y)) { out[i] = g; break; }
        }
        p = (p + 2) & (mask << 1 | 1);
      }
    }
  }

  private groupGeneral(cols: Column[], n: number, out: Int32Array): void {
    const stores = this.stores, nk = stores.length;
    if (this.hashes.length < n) this.hashes = new Int32Array(n);
    const hs = this.hashes;
    for (let k = 0; k < nk; k++) stores[k].hashInto(cols[k], n, hs, k === 0);
    let slots = this.slots, mask = this.mask;
    for (let i = 0; i < n; i++) {
      const h = fmix(hs[i]);
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          const g = this.size_;
          for (let k = 0; k < nk; k++) stores[k].push(cols[k], i);
          this.insertAt(p, h);
          slots = this.slots; mask = this.mask;
          out[i] = g;
          break;
        }
        if (slots[p] === h) {
          const g = id - 1;
          let k = 0;
          while (k < nk && stores[k].equals(g, cols[k], i)) k++;
          if (k === nk) { out[i] = g; break; }
        }
        p = (p + 2) & (mask << 1 | 1);
      }
    }
  }

  private nullKeyGroup(): number {
    if (this.nullGroup < 0) {
      const st = this.stores[0] as NumKeyStore | Utf8KeyStore;
      st.pushNull();
      this.nullGroup = this.size_;
      // never probed: the fast paths route null rows here directly
      this.groupHash = ensureCapacity(this.groupHash, this.size_ + 1);
      this.groupHash[this.size_++] = 0;
    }
    return this.nullGroup;
  }

  /** Claims slot index `p` (already scaled by 2) for a new group with hash `h`. */
  private insertAt(p: number, h: number): void {
    const g = this.size_++;
    this.slots[p] = h;
    this.slots[p + 1] = g + 1;
    this.groupHash = ensureCapacity(this.groupHash, g + 1);
    this.groupHash[g] = h;
    // small tables stay at most 1/4 full: nearly every lookup then hits its first slot, which
    // saves branch mispredictions at no cache cost; large ones stay at most 1/2 full
    const cap = this.mask + 1;
    if (this.size_ * (cap <= SMALL_TABLE ? 4 : 2) > cap) this.rehash();
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2, mask = cap - 1;
    const slots = new Int32Array(cap * 2), gh = this.groupHash;
    for (let g = 0; g < this.size_; g++) {
      if (g === this.nullGroup) continue;
      const h = gh[g];
      let p = (h & mask) << 1;
      while (slots[p + 1] !== 0) p = (p + 2) & (mask << 1 | 1);
      slots[p] = h;
      slots[p + 1] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
