/**
 * Aggregates that pick one value per group: min, max, first, last, for every fixed-width dtype
 * (numbers, bool, date, timestamp). Partials are the picked values, so merging them is the
 * same operation as sinking them.
 */
import type { Column, DType } from '../../../core/types.js';
import { plain } from '../../column/dict.js';
import { asFloat64, ensureCapacity } from '../hash/grow.js';
import { wasmUsedCodes } from '../wasm/codes.js';
import { stateColumn, type Accumulator } from './accumulator.js';

/** Which value a selecting aggregate keeps. first/last mean the first/last non-null value in source order. */
export type SelectMode = 'min' | 'max' | 'first' | 'last';

/**
 * min/max/first/last over fixed-width values. NaN is greater than every number (DuckDB
 * order): max is NaN once a NaN is seen; min is NaN only when every value is NaN.
 */
export class NumSelectAcc implements Accumulator {
  private val = new Float64Array(16);
  private has = new Uint8Array(16);
  private groups = 0;
  constructor(private readonly mode: SelectMode, readonly outType: DType) {}

  resize(groups: number): void {
    this.val = ensureCapacity(this.val, groups);
    this.has = ensureCapacity(this.has, groups);
    this.groups = groups;
  }

  update(gids: Int32Array, col: Column | undefined, n: number): void {
    if (col!.dictionary && (this.mode === 'min' || this.mode === 'max') && col!.valid === undefined) {
      this.updateCoded(gids, asFloat64(col!.dictionary.values), col!.values as Int32Array, n);
      return;
    }
    if (col!.dictionary) col = plain(col!);
    const v = asFloat64(col!.values), valid = col!.valid;
    switch (this.mode) {
      case 'min': if (this.groups === 1 && !valid) minOne(v, n, this.val, this.has); else minLoop(gids, v, valid, n, this.val, this.has); break;
      case 'max': if (this.groups === 1 && !valid) maxOne(v, n, this.val, this.has); else maxLoop(gids, v, valid, n, this.val, this.has); break;
      // one group (a global aggregate): the answer is one value found from the nearer end
      case 'first': if (this.groups === 1) firstOne(v, valid, n, this.val, this.has); else firstLoop(gids, v, valid, n, this.val, this.has); break;
      case 'last': if (this.groups === 1) lastOne(v, valid, n, this.val, this.has); else lastLoop(gids, v, valid, n, this.val, this.has); break;
    }
  }

  /**
   * min/max of a dictionary-encoded input without nulls: over one group, the global loop over
   * the dictionary entries whose codes occur (one store per row); over many, the entry of
   * each row's code.
   */
  private updateCoded(gids: Int32Array, d: Float64Array, codes: Int32Array, n: number): void {
    if (this.groups === 1) {
      const used = usedEntries(d, codes, n);
      if (this.mode === 'min') minOne(used, used.length, this.val, this.has);
      else maxOne(used, used.length, this.val, this.has);
    } else if (this.mode === 'min') minCodedLoop(gids, d, codes, n, this.val, this.has);
    else maxCodedLoop(gids, d, codes, n, this.val, this.has);
  }

  partial(groups: number, into: Record<string, Column>, prefix: string): void {
    into[prefix + 'v'] = this.finalize(groups);
  }

  merge(gids: Int32Array, part: (name: string) => Column, n: number): void {
    this.update(gids, part('v'), n);
  }

  finalize(groups: number): Column {
    return stateColumn(this.outType, this.val, this.has, groups);
  }
}

// One loop per mode keeps the row loop free of a mode branch.

/** The dictionary entries whose codes some row [0, n) has. */
function usedEntries(d: Float64Array, codes: Int32Array, n: number): Float64Array {
  const seen = wasmUsedCodes(codes, n, d.length) ?? usedCodes(codes, n, d.length);
  return d.filter((_, k) => seen[k] === 1);
}

/** One flag per dictionary entry: whether some row [0, n) has its code. */
function usedCodes(codes: Int32Array, n: number, entries: number): Uint8Array {
  const seen = new Uint8Array(entries);
  // unrolled by 8 like the scatter loops of acc-sum.ts
  let i = 0;
  for (const head = n & 7; i < head; i++) seen[codes[i]] = 1;
  for (; i < n; i += 8) {
    seen[codes[i]] = 1; seen[codes[i + 1]] = 1; seen[codes[i + 2]] = 1; seen[codes[i + 3]] = 1;
    seen[codes[i + 4]] = 1; seen[codes[i + 5]] = 1; seen[codes[i + 6]] = 1; seen[codes[i + 7]] = 1;
  }
  return seen;
}

function minCodedLoop(gids: Int32Array, d: Float64Array, codes: Int32Array, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    const g = gids[i], x = d[codes[i]], cur = s[g];
    if (h[g] === 0 || x < cur || cur !== cur) { s[g] = x; h[g] = 1; }
  }
}

function maxCodedLoop(gids: Int32Array, d: Float64Array, codes: Int32Array, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    const g = gids[i], x = d[codes[i]];
    if (h[g] === 0 || x > s[g] || x !== x) { s[g] = x; h[g] = 1; }
  }
}

function minLoop(gids: Int32Array, v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = gids[i], x = v[i], cur = s[g];
    // a NaN current value loses to anything (NaN sorts last)
    if (h[g] === 0 || x < cur || cur !== cur) { s[g] = x; h[g] = 1; }
  }
}

function maxLoop(gids: Int32Array, v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = gids[i], x = v[i];
    if (h[g] === 0 || x > s[g] || x !== x) { s[g] = x; h[g] = 1; }
  }
}

function firstLoop(gids: Int32Array, v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = gids[i];
    if (h[g] === 0) { s[g] = v[i]; h[g] = 1; }
  }
}

// The global min/max loops return their result and leave the state to their callers: code
// after a long loop has run no time when V8 compiles the loop on stack (OSR), so it was
// compiled without type feedback and deoptimized at the end of every call (the flights
// report hit that 20 times per query).

/** Global min without nulls, in a register; same NaN rule as minLoop (NaN only when every value is NaN). */
function minOne(v: Float64Array, n: number, s: Float64Array, h: Uint8Array): void {
  if (n === 0) return;
  s[0] = minOf(v, n, h[0] ? s[0] : v[0]);
  h[0] = 1;
}

function minOf(v: Float64Array, n: number, cur: number): number {
  for (let i = 0; i < n; i++) { const x = v[i]; if (x < cur || cur !== cur) cur = x; }
  return cur;
}

/** Global max without nulls, in a register; NaN wins once seen, as in maxLoop. */
function maxOne(v: Float64Array, n: number, s: Float64Array, h: Uint8Array): void {
  if (n === 0) return;
  s[0] = maxOf(v, n, h[0] ? s[0] : v[0]);
  h[0] = 1;
}

function maxOf(v: Float64Array, n: number, cur: number): number {
  for (let i = 0; i < n; i++) { const x = v[i]; if (x > cur || x !== x) cur = x; }
  return cur;
}

function firstOne(v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  if (h[0] === 1) return;
  for (let i = 0; i < n; i++) if (valid === undefined || valid[i] !== 0) { s[0] = v[i]; h[0] = 1; return; }
}

function lastOne(v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = n - 1; i >= 0; i--) if (valid === undefined || valid[i] !== 0) { s[0] = v[i]; h[0] = 1; return; }
}

function lastLoop(gids: Int32Array, v: Float64Array, valid: Uint8Array | undefined, n: number, s: Float64Array, h: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = gids[i];
    s[g] = v[i]; h[g] = 1;
  }
}
