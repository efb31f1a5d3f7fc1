/**
 * min/max/first/last over utf8 (byte order = code point order). Each batch first finds its
 * winning row per group by comparing bytes in place; only the winners are compared against,
 * and copied into, the per-group state, so no per-row allocation happens.
 */
import type { Column } from '../../../core/types.js';
import { ensureCapacity } from '../hash/grow.js';
import { compareBytes } from '../sort/bytes.js';
import type { Accumulator } from './accumulator.js';
import type { SelectMode } from './acc-select.js';

/** Selecting aggregate over utf8 values; the state holds one byte string per group. */
export class Utf8SelectAcc implements Accumulator {
  readonly outType = 'utf8' as const;
  private vals: (Uint8Array | undefined)[] = [];
  // per-batch winner row per group, -1 between batches
  private best = new Int32Array(0);
  private touched = new Int32Array(16);

  constructor(private readonly mode: SelectMode) {}

  resize(groups: number): void {
    const old = this.best.length;
    if (old < groups) {
      this.best = ensureCapacity(this.best, groups);
      this.best.fill(-1, old);
      this.touched = ensureCapacity(this.touched, groups);
    }
    while (this.vals.length < groups) this.vals.push(undefined);
  }

  update(gids: Int32Array, col: Column | undefined, n: number): void {
    const c = col!, rb = c.values as Uint8Array, off = c.offsets!, valid = c.valid;
    const best = this.best, touched = this.touched, mode = this.mode;
    let t = 0;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) continue;
      const g = gids[i], b = best[g];
      if (b < 0) { best[g] = i; touched[t++] = g; continue; }
      if (mode === 'first') continue;
      if (mode === 'last') { best[g] = i; continue; }
      const d = compareBytes(rb, off[i], off[i + 1], rb, off[b], off[b + 1]);
      if (mode === 'min' ? d < 0 : d > 0) best[g] = i;
    }
    for (let k = 0; k < t; k++) {
      const g = touched[k], i = best[g], cur = this.vals[g];
      best[g] = -1;
      if (cur !== undefined) {
        if (mode === 'first') continue;
        if (mode !== 'last') {
          const d = compareBytes(rb, off[i], off[i + 1], cur, 0, cur.length);
          if (mode === 'min' ? d >= 0 : d <= 0) continue;
        }
      }
      this.vals[g] = rb.slice(off[i], off[i + 1]);
    }
  }

  partial(groups: number, into: Record<string, Column>, prefix: string): void {
    into[prefix + 'v'] = this.finalize(groups);
  }

  merge(gids: Int32Array, part: (name: string) => Column, n: number): void {
    this.update(gids, part('v'), n);
  }

  finalize(groups: number): Column {
    const offsets = new Int32Array(groups + 1);
    let total = 0, nulls = 0;
    for (let g = 0; g < groups; g++) { total += this.vals[g]?.length ?? 0; offsets[g + 1] = total; }
    const values = new Uint8Array(total), valid = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) {
      const v = this.vals[g];
      if (v === undefined) nulls++;
      else { values.set(v, offsets[g]); valid[g] = 1; }
    }
    return { type: 'utf8', length: groups, values, offsets, valid: nulls ? valid : undefined, nullCount: nulls };
  }
}
