/**
 * The distinct keys of one key column, one entry per group in group-id order. The hash table
 * compares incoming rows against these entries and finally returns them as the key column.
 */
import { allocValues, type Column, type DType, type NumericArray } from '../../../core/types.js';
import { ensureCapacity } from './grow.js';

/** Keys of any fixed-width dtype, held as float64 (exact for every supported dtype). */
export class NumKeyStore {
  size = 0;
  vals = new Float64Array(16);
  /** 1 = the key of that group is null */
  nulls = new Uint8Array(16);
  nullCount = 0;
  constructor(readonly type: DType) {}

  pushValue(v: number): void {
    this.reserve();
    this.vals[this.size++] = v;
  }

  pushNull(): void {
    this.reserve();
    this.nulls[this.size++] = 1;
    this.nullCount++;
  }

  private reserve(): void {
    this.vals = ensureCapacity(this.vals, this.size + 1);
    this.nulls = ensureCapacity(this.nulls, this.size + 1);
  }

  /** The stored keys as a column of the store's dtype. */
  toColumn(): Column {
    const n = this.size;
    const values = allocValues(this.type, n) as NumericArray;
    (values as Float64Array).set(this.vals.subarray(0, n));
    const valid = this.nullCount > 0 ? invert(this.nulls, n) : undefined;
    return { type: this.type, length: n, values, valid, nullCount: this.nullCount };
  }
}

/** utf8 keys: their bytes back to back in one growing arena. */
export class Utf8KeyStore {
  readonly type = 'utf8' as const;
  size = 0;
  bytes = new Uint8Array(256);
  /** offsets[g]..offsets[g+1] are the bytes of key g */
  offsets = new Int32Array(17);
  nulls = new Uint8Array(16);
  nullCount = 0;

  /** Whether bytes `from`.. of key `g` equal `src` from `s` (the caller has checked the lengths match). */
  equalsFrom(g: number, from: number, src: Uint8Array, s: number): boolean {
    const kb = this.bytes, a = this.offsets[g] + from, e = this.offsets[g + 1];
    for (let k = a; k < e; k++) if (kb[k] !== src[s + k - a]) return false;
    return true;
  }

  pushBytes(src: Uint8Array, s: number, e: number): void {
    const g = this.size++;
    this.offsets = ensureCapacity(this.offsets, g + 2);
    this.nulls = ensureCapacity(this.nulls, g + 1);
    const at = this.offsets[g], len = e - s;
    this.bytes = ensureCapacity(this.bytes, at + len);
    const kb = this.bytes;
    if (len < 32) for (let k = 0; k < len; k++) kb[at + k] = src[s + k];
    else kb.set(src.subarray(s, e), at);
    this.offsets[g + 1] = at + len;
  }

  pushNull(): void {
    this.pushBytes(EMPTY, 0, 0);
    this.nulls[this.size - 1] = 1;
    this.nullCount++;
  }

  /** The stored keys as a utf8 column. */
  toColumn(): Column {
    const n = this.size;
    const offsets = this.offsets.slice(0, n + 1);
    const values = this.bytes.slice(0, offsets[n]);
    const valid = this.nullCount > 0 ? invert(this.nulls, n) : undefined;
    return { type: 'utf8', length: n, values, offsets, valid, nullCount: this.nullCount };
  }
}

const EMPTY = new Uint8Array(0);

function invert(nulls: Uint8Array, n: number): Uint8Array {
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) valid[i] = nulls[i] ^ 1;
  return valid;
}

/** A key store for a column of dtype `type`. */
export function keyStoreFor(type: DType): NumKeyStore | Utf8KeyStore {
  return type === 'utf8' ? new Utf8KeyStore() : new NumKeyStore(type);
}
