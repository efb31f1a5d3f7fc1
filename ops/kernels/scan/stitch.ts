/**
 * The coordinator half of a scan: partitions arrive in source order with their local scans
 * and carry-outs; each is shifted by the running carry-in (op(carry, local) on every non-null
 * row, per key for grouped scans) and the carry advances. Associativity is what makes
 * op(carry, localPrefix) equal the global prefix.
 */
import type { Column, DType } from '../../../core/types.js';
import { createGroupTable, type GroupTable } from '../hash/key-table.js';
import type { ScanCarry } from './local.js';
import type { ScanOp } from './ops.js';

export class ScanStitcher {
  private carry: number;
  private table?: GroupTable;
  private carries: Float64Array;

  constructor(private readonly s: ScanOp, keyTypes?: DType[]) {
    this.carry = s.identity;
    this.carries = new Float64Array(16).fill(s.identity);
    if (keyTypes) this.table = createGroupTable(keyTypes);
  }

  /** Shifts `out` (the partition's local scan, modified in place) by the carry-in and advances the carry. */
  apply(out: Column, c: ScanCarry): void {
    const v = out.values, valid = out.valid, n = out.length, op = this.s.op;
    if (!this.table) {
      const k = this.carry;
      if (k !== this.s.identity) {
        if (valid) { for (let i = 0; i < n; i++) if (valid[i]) v[i] = op(k, v[i]); }
        else for (let i = 0; i < n; i++) v[i] = op(k, v[i]);
      }
      if (c.seen) this.carry = op(this.carry, c.total!);
      return;
    }
    const keys = c.keys!, m = keys.length;
    const map = this.table.groupIds(Object.values(keys.columns), m).slice(0, m);
    const size = this.table.size;
    if (this.carries.length < size) {
      const next = new Float64Array(Math.max(size, this.carries.length * 2)).fill(this.s.identity);
      next.set(this.carries.subarray(0, this.carries.length));
      this.carries = next;
      // slots past the old length were filled with identity above
    }
    const cin = new Float64Array(m);
    for (let l = 0; l < m; l++) cin[l] = this.carries[map[l]];
    const gids = c.gids!;
    for (let i = 0; i < n; i++) if (!valid || valid[i]) v[i] = op(cin[gids[i]], v[i]);
    for (let l = 0; l < m; l++) if (c.groupSeen![l]) this.carries[map[l]] = op(cin[l], c.totals![l]);
  }
}
