/**
 * Group ids for tuples of key columns. Each column first goes through its own single-key
 * table (the specialized utf8/numeric loops) to a dense per-column id; the tuple of those
 * small integers is then grouped by a table that hashes and compares int32s only. Each
 * distinct value is stored once per column, however many tuples share it.
 */
import { takeColumn } from '../../column/take.js';
import type { Column, DType } from '../../../core/types.js';
import { ensureCapacity } from './grow.js';
import { fmix, mixWord } from './hash.js';
import { OpenTable } from './open-table.js';
import { SingleKeyTable } from './single-key-table.js';

/**
 * Hash table from tuples of two or more key columns to group ids (first-appearance order).
 * Nulls are ordinary values of each column: (null, 1) and (null, 2) are different groups.
 * @example
 * const t = new MultiKeyTable(['utf8', 'int32']);
 * const gids = t.groupIds([a, b], n);
 * const [ka, kb] = t.keyColumns();
 */
export class MultiKeyTable extends OpenTable {
  private readonly parts: SingleKeyTable[];
  private readonly ids: Int32Array[];
  /** per group, the per-column ids of its tuple (stride = number of columns) */
  private tuples: Int32Array;

  constructor(types: DType[], capacity = 16) {
    super(capacity);
    this.parts = types.map((t) => new SingleKeyTable(t));
    this.ids = types.map(() => new Int32Array(0));
    this.tuples = new Int32Array(16 * types.length);
  }

  /** Writes the group id of rows [0, n) into `out` (allocated when absent or too small) and returns it. */
  groupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.tupleIds(cols, n, out, true);
  }

  /** Like {@link groupIds} but adds nothing: -1 for tuples not in the table or with a null part. */
  lookupIds(cols: Column[], n: number, out?: Int32Array): Int32Array {
    return this.tupleIds(cols, n, out, false);
  }

  private tupleIds(cols: Column[], n: number, out: Int32Array | undefined, insert: boolean): Int32Array {
    if (!out || out.length < n) out = new Int32Array(n);
    const m = this.parts.length;
    for (let k = 0; k < m; k++) this.ids[k] = insert ? this.parts[k].groupIds([cols[k]], n, this.ids[k]) : this.parts[k].lookupIds([cols[k]], n, this.ids[k]);
    if (m === 2) this.group2(n, out, insert);
    else this.groupN(n, out, insert);
    return out;
  }

  private group2(n: number, out: Int32Array, insert: boolean): void {
    const a = this.ids[0], b = this.ids[1];
    let slots = this.slots, mask = this.mask, tu = this.tuples;
    for (let i = 0; i < n; i++) {
      const x = a[i], y = b[i];
      // a part not in the table (lookups only) cannot be part of a known tuple
      if (x < 0 || y < 0) { out[i] = -1; continue; }
      const h = fmix(mixWord(mixWord(2, x), y));
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          if (!insert) { out[i] = -1; break; }
          const g = this.insertAt(p, h);
          tu = this.tuples = ensureCapacity(this.tuples, (g + 1) * 2);
          tu[2 * g] = x; tu[2 * g + 1] = y;
          slots = this.slots; mask = this.mask;
          out[i] = g;
          break;
        }
        const g = id - 1;
        if (slots[p] === h && tu[2 * g] === x && tu[2 * g + 1] === y) { out[i] = g; break; }
        p = (p + 2) & ((mask << 1) | 1);
      }
    }
  }

  private groupN(n: number, out: Int32Array, insert: boolean): void {
    const ids = this.ids, m = ids.length;
    let slots = this.slots, mask = this.mask, tu = this.tuples;
    rows: for (let i = 0; i < n; i++) {
      let h = m;
      for (let k = 0; k < m; k++) {
        if (ids[k][i] < 0) { out[i] = -1; continue rows; }
        h = mixWord(h, ids[k][i]);
      }
      h = fmix(h);
      let p = (h & mask) << 1;
      for (;;) {
        const id = slots[p + 1];
        if (id === 0) {
          if (!insert) { out[i] = -1; break; }
          const g = this.insertAt(p, h);
          tu = this.tuples = ensureCapacity(this.tuples, (g + 1) * m);
          for (let k = 0; k < m; k++) tu[g * m + k] = ids[k][i];
          slots = this.slots; mask = this.mask;
          out[i] = g;
          break;
        }
        if (slots[p] === h) {
          const base = (id - 1) * m;
          let k = 0;
          while (k < m && tu[base + k] === ids[k][i]) k++;
          if (k === m) { out[i] = id - 1; break; }
        }
        p = (p + 2) & ((mask << 1) | 1);
      }
    }
  }

  /** The distinct tuples as one column per key, in group-id order. */
  keyColumns(): Column[] {
    const m = this.parts.length, n = this.size_, tu = this.tuples;
    return this.parts.map((part, k) => {
      const idx = new Int32Array(n);
      for (let g = 0; g < n; g++) idx[g] = tu[g * m + k];
      return takeColumn(part.keyColumns()[0], idx);
    });
  }
}
