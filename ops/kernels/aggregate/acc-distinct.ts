/**
 * nUnique(x): exact count of distinct non-null values per group. The state is a hash set of
 * (group, value) pairs, so memory grows with the number of distinct pairs; the partial
 * carries every distinct value of each group, serialized into one byte string per group
 * (float64s for fixed-width values, length-prefixed bytes for utf8). An approximate sketch
 * (HyperLogLog) would bound that, at the cost of exactness.
 */
import type { Column } from '../../../core/types.js';
import { ensureCapacity } from '../hash/grow.js';
import { MultiKeyTable } from '../hash/multi-key-table.js';
import { stateColumn, type Accumulator } from './accumulator.js';

/** Distinct-count aggregate; `utf8` selects byte-string values, otherwise values are numbers. */
export class DistinctAcc implements Accumulator {
  readonly outType = 'int64' as const;
  private readonly pairs: MultiKeyTable;
  private cnt = new Float64Array(16);
  private pids: Int32Array = new Int32Array(0);

  constructor(private readonly utf8: boolean) {
    this.pairs = new MultiKeyTable(['int32', utf8 ? 'utf8' : 'float64']);
  }

  resize(groups: number): void { this.cnt = ensureCapacity(this.cnt, groups); }

  update(gids: Int32Array, col: Column | undefined, n: number): void {
    const gcol: Column = { type: 'int32', length: n, values: gids, nullCount: 0 };
    const before = this.pairs.size;
    this.pids = this.pairs.groupIds([gcol, col!], n, this.pids);
    const pids = this.pids, valid = col!.valid, c = this.cnt;
    // pair ids are handed out in row order, so each new pair shows up as the next id
    let next = before;
    for (let i = 0; i < n; i++) {
      if (pids[i] !== next) continue;
      next++;
      if (valid === undefined || valid[i] !== 0) c[gids[i]]++;
    }
  }

  partial(groups: number, into: Record<string, Column>, prefix: string): void {
    into[prefix + (this.utf8 ? 'sets' : 'setn')] = this.utf8 ? this.utf8Sets(groups) : this.numSets(groups);
  }

  private numSets(groups: number): Column {
    const [gc, vc] = this.pairs.keyColumns();
    const gv = gc.values, vv = vc.values, valid = vc.valid;
    const pos = new Int32Array(groups + 1);
    for (let g = 0; g < groups; g++) pos[g + 1] = pos[g] + this.cnt[g];
    const offsets = new Int32Array(groups + 1);
    for (let g = 0; g <= groups; g++) offsets[g] = pos[g] * 8;
    const out = new Float64Array(pos[groups]);
    for (let e = 0; e < vc.length; e++) if (valid === undefined || valid[e] !== 0) out[pos[gv[e]]++] = vv[e];
    return { type: 'utf8', length: groups, values: new Uint8Array(out.buffer), offsets, nullCount: 0 };
  }

  private utf8Sets(groups: number): Column {
    const [gc, vc] = this.pairs.keyColumns();
    const gv = gc.values, vo = vc.offsets!, vb = vc.values as Uint8Array, valid = vc.valid;
    const size = new Int32Array(groups);
    for (let e = 0; e < vc.length; e++) if (valid === undefined || valid[e] !== 0) size[gv[e]] += 4 + vo[e + 1] - vo[e];
    const offsets = new Int32Array(groups + 1);
    for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g] + size[g];
    const pos = offsets.slice(0, groups), out = new Uint8Array(offsets[groups]);
    const view = new DataView(out.buffer);
    for (let e = 0; e < vc.length; e++) {
      if (valid !== undefined && valid[e] === 0) continue;
      const g = gv[e], len = vo[e + 1] - vo[e];
      view.setInt32(pos[g], len, true);
      out.set(vb.subarray(vo[e], vo[e + 1]), pos[g] + 4);
      pos[g] += 4 + len;
    }
    return { type: 'utf8', length: groups, values: out, offsets, nullCount: 0 };
  }

  merge(gids: Int32Array, part: (name: string) => Column, n: number): void {
    const sets = part(this.utf8 ? 'sets' : 'setn');
    const { values, gidsOut, m } = this.utf8 ? decodeUtf8(sets, gids, n) : decodeNum(sets, gids, n);
    this.update(gidsOut, values, m);
  }

  finalize(groups: number): Column {
    return stateColumn('int64', this.cnt, undefined, groups);
  }
}

interface Decoded { values: Column; gidsOut: Int32Array; m: number }

function decodeNum(sets: Column, gids: Int32Array, n: number): Decoded {
  const off = sets.offsets!, bytes = sets.values as Uint8Array;
  const m = (off[n] - off[0]) / 8;
  const copy = bytes.slice(off[0], off[n]);
  const vals = new Float64Array(copy.buffer, 0, m);
  const gidsOut = new Int32Array(m);
  for (let r = 0, k = 0; r < n; r++) for (let e = (off[r + 1] - off[r]) / 8; e > 0; e--) gidsOut[k++] = gids[r];
  return { values: { type: 'float64', length: m, values: vals, nullCount: 0 }, gidsOut, m };
}

function decodeUtf8(sets: Column, gids: Int32Array, n: number): Decoded {
  const off = sets.offsets!, bytes = sets.values as Uint8Array;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let m = 0;
  for (let r = 0; r < n; r++) for (let p = off[r]; p < off[r + 1]; p += 4 + view.getInt32(p, true)) m++;
  const gidsOut = new Int32Array(m), vo = new Int32Array(m + 1);
  const vb = new Uint8Array(off[n] - off[0] - 4 * m);
  let k = 0;
  for (let r = 0; r < n; r++) {
    for (let p = off[r]; p < off[r + 1];) {
      const len = view.getInt32(p, true);
      vb.set(bytes.subarray(p + 4, p + 4 + len), vo[k]);
      vo[k + 1] = vo[k] + len;
      gidsOut[k++] = gids[r];
      p += 4 + len;
    }
  }
  return { values: { type: 'utf8', length: m, values: vb, offsets: vo, nullCount: 0 }, gidsOut, m };
}
