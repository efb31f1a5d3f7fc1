/**
 * Group ids for one key column: rows map to dense ids in order of first appearance. utf8 and
 * fixed-width keys each get a specialized probe loop; the null key is a group of its own that
 * rows reach without hashing.
 */
import type { Column, DType } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { asFloat64, ensureCapacity } from './grow.js';
import { fmix, hashNumber, mixWord, tailWord } from './hash.js';
import { keyStoreFor, NumKeyStore, Utf8KeyStore } from './key-store.js';
import { OpenTable } from './open-table.js';

const REC = 5;

/** Folds the words of bytes [p, e) into `h`, as hashBytes does past the first 16 bytes. */
function mixRest(dv: DataView, b: Uint8Array, p: number, e: number, h: number): number {
  for (const end4 = e - 3; p < end4; p += 4) h = mixWord(h, dv.getInt32(p, true));
  return p < e ? mixWord(h, tailWord(b, p, e)) : h;
}

/**
 * Hash table from the values of one key column to group ids. -0 equals 0 and NaN equals NaN,
 * as in DuckDB.
 * @example
 * const t = new SingleKeyTable('utf8');
 * const gids = t.groupIds([col], col.length); // 0-based first-appearance ids
 * const [keys] = t.keyColumns();              // the distinct keys in id order
 */
export class SingleKeyTable extends OpenTable {
  /** the distinct keys in group-id order */
  readonly store: NumKeyStore | Utf8KeyStore;
  private nullGroup = -1;
  /** utf8 keys: per group [length, first four little-endian words] */
  private rec = new Int32Array(16 * REC);

  constructor(readonly type: DType, capacity = 16) {
    super(capacity);
    this.store = keyStoreFor(type);
  }

  /**
   * Writes the group id of rows [0, n) of `cols[0]` into `out` (allocated when absent or too
   * small) and returns it. New keys get the next ids, in row order.
   */
  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.ids(cols, n, out, true);
  }

  /**
   * Like {@link groupIds} but adds nothing: -1 for rows whose key is not in the table, and for
   * null keys (a join never matches them).
   */
  lookupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.ids(cols, n, out, false);
  }

  private ids(cols: Column[], n: number, out: Int32Array | undefined, insert: boolean): Int32Array {
    if (!out || out.length < n) out = new Int32Array(n);
    // dictionary-encoded keys normally arrive through DictKeyTable; a direct caller gets plain
    const c = plain(cols[0]);
    if (c.type === 'utf8') this.groupUtf8(c, n, out, insert);
    else this.groupNumeric(c, n, out, insert);
    return out;
  }

  /** The distinct keys as a one-element list of columns, in group-id order. */
  keyColumns(): Column[] {
    return [this.store.toColumn()];
  }

  private groupUtf8(col: Column, n: number, out: Int32Array, insert: boolean): void {
    const st = this.store as Utf8KeyStore;
    const rb = col.values as Uint8Array, off = col.offsets!, valid = col.valid;
    const dv = new DataView(rb.buffer, rb.byteOffset, rb.byteLength);
    let slots = this.slots, mask = this.mask, rec = this.rec;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) { out[i] = insert ? this.nullKeyGroup() : -1; continue; }
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
          if (!insert) { out[i] = -1; break; }
          st.pushBytes(rb, s, e);
          const g = this.insertAt(p, h);
          rec = this.rec = ensureCapacity(this.rec, (g + 1) * REC);
          const r = g * REC;
          rec[r] = len; rec[r + 1] = w0; rec[r + 2] = w1; rec[r + 3] = w2; rec[r + 4] = w3;
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

  private groupNumeric(col: Column, n: number, out: Int32Array, insert: boolean): void {
    const st = this.store as NumKeyStore;
    const v = asFloat64(col.values), valid = col.valid;
    let slots = this.slots, mask = this.mask;
    // the null group is never in `slots`, so a slot hit is always a non-null key
    let kv = st.vals;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) {
        if (!insert) { out[i] = -1; continue; }
        out[i] = this.nullKeyGroup(); kv = st.vals; continue;
      }
      const x = v[i];
      const h = hashNumber(x);
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          if (!insert) { out[i] = -1; break; }
          st.pushValue(x);
          kv = st.vals;
          out[i] = this.insertAt(p, h);
          slots = this.slots; mask = this.mask;
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

  private nullKeyGroup(): number {
    if (this.nullGroup < 0) {
      this.store.pushNull();
      this.nullGroup = this.addUnslotted();
    }
    return this.nullGroup;
  }
}
