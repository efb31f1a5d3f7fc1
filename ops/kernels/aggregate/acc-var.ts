/**
 * var(x) / std(x) with `ddof`. Each batch is reduced two-pass per group (mean, then squared
 * deviations from it: no cancellation, no division per row) and folded into the running
 * (n, mean, m2) with Chan et al.'s parallel update; partials merge the same way.
 */
import type { Column } from '../../../core/types.js';
import { asFloat64, ensureCapacity } from '../hash/grow.js';
import { stateColumn, type Accumulator } from './accumulator.js';

/** Variance or standard deviation; null for groups with `ddof` or fewer non-null values. */
export class VarAcc implements Accumulator {
  readonly outType = 'float64' as const;
  private n = new Float64Array(16);
  private mean = new Float64Array(16);
  private m2 = new Float64Array(16);
  // per-batch scratch, zero between batches
  private bn = new Float64Array(16);
  private bmean = new Float64Array(16);
  private bm2 = new Float64Array(16);
  private touched = new Int32Array(16);

  constructor(private readonly ddof: number, private readonly std: boolean) {}

  resize(groups: number): void {
    this.n = ensureCapacity(this.n, groups);
    this.mean = ensureCapacity(this.mean, groups);
    this.m2 = ensureCapacity(this.m2, groups);
    this.bn = ensureCapacity(this.bn, groups);
    this.bmean = ensureCapacity(this.bmean, groups);
    this.bm2 = ensureCapacity(this.bm2, groups);
    this.touched = ensureCapacity(this.touched, groups);
  }

  update(gids: Int32Array, col: Column | undefined, n: number): void {
    const v = asFloat64(col!.values), valid = col!.valid;
    const bn = this.bn, bs = this.bmean, bm2 = this.bm2, touched = this.touched;
    let t = 0;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) continue;
      const g = gids[i];
      if (bn[g] === 0) touched[t++] = g;
      bn[g]++; bs[g] += v[i];
    }
    for (let k = 0; k < t; k++) { const g = touched[k]; bs[g] /= bn[g]; }
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) continue;
      const g = gids[i], d = v[i] - bs[g];
      bm2[g] += d * d;
    }
    for (let k = 0; k < t; k++) {
      const g = touched[k];
      this.fold(g, bn[g], bs[g], bm2[g]);
      bn[g] = 0; bs[g] = 0; bm2[g] = 0;
    }
  }

  private fold(g: number, nb: number, mb: number, m2b: number): void {
    const na = this.n[g];
    if (na === 0) { this.n[g] = nb; this.mean[g] = mb; this.m2[g] = m2b; return; }
    const nn = na + nb, d = mb - this.mean[g];
    this.mean[g] += d * (nb / nn);
    this.m2[g] += m2b + d * d * (na * nb / nn);
    this.n[g] = nn;
  }

  partial(groups: number, into: Record<string, Column>, prefix: string): void {
    into[prefix + 'n'] = stateColumn('int64', this.n, undefined, groups);
    into[prefix + 'mean'] = stateColumn('float64', this.mean, undefined, groups);
    into[prefix + 'm2'] = stateColumn('float64', this.m2, undefined, groups);
  }

  merge(gids: Int32Array, part: (name: string) => Column, n: number): void {
    const pn = part('n').values as Float64Array, pm = part('mean').values as Float64Array, pm2 = part('m2').values as Float64Array;
    for (let i = 0; i < n; i++) if (pn[i] > 0) this.fold(gids[i], pn[i], pm[i], pm2[i]);
  }

  finalize(groups: number): Column {
    const out = new Float64Array(groups), valid = new Uint8Array(groups);
    let nulls = 0;
    for (let g = 0; g < groups; g++) {
      const c = this.n[g];
      if (c > this.ddof) {
        const v = this.m2[g] / (c - this.ddof);
        out[g] = this.std ? Math.sqrt(v) : v;
        valid[g] = 1;
      } else nulls++;
    }
    return { type: 'float64', length: groups, values: out, valid: nulls ? valid : undefined, nullCount: nulls };
  }
}
