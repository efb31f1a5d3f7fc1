/**
 * `str.split(sep).explode()`: one output row per piece, with the source row of each piece so
 * the other selected columns can repeat. Literal separators split on bytes (a match of a
 * valid UTF-8 needle always falls on character boundaries); regular expressions go through
 * JS strings, decoding each value once.
 */
import type { Column } from '../../../core/types.js';
import type { SplitSep } from '../../../core/expr/node.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Growable output of pieces: bytes, offsets and source rows. */
class Pieces {
  bytes = new Uint8Array(1024);
  offsets = new Int32Array(256);
  rows = new Int32Array(256);
  n = 0;
  used = 0;

  add(src: Uint8Array, s: number, e: number, row: number): void {
    this.reserve(e - s);
    this.bytes.set(src.subarray(s, e), this.used);
    this.push(e - s, row);
  }

  addString(piece: string, row: number): void {
    this.reserve(piece.length * 3);
    const r = enc.encodeInto(piece, this.bytes.subarray(this.used));
    this.push(r.written, row);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > this.bytes.length) {
      const b = new Uint8Array(Math.max(this.bytes.length * 2, this.used + bytes));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    if (this.n + 2 > this.offsets.length) {
      const o = new Int32Array(this.offsets.length * 2); o.set(this.offsets); this.offsets = o;
      const r = new Int32Array(this.rows.length * 2); r.set(this.rows); this.rows = r;
    }
  }

  private push(len: number, row: number): void {
    this.used += len;
    this.rows[this.n++] = row;
    this.offsets[this.n] = this.used;
  }

  finish(): { out: Column; rows: Int32Array } {
    const n = this.n;
    return {
      out: { type: 'utf8', length: n, values: this.bytes.slice(0, this.used), offsets: this.offsets.slice(0, n + 1), nullCount: 0 },
      rows: this.rows.slice(0, n),
    };
  }
}

/**
 * Splits every value of a utf8 column and returns the pieces as rows. Null values produce no
 * rows (as SQL unnest); an empty value produces one empty piece (as `''.split(sep)`).
 * @example
 * const { out, rows } = splitExplode(col, { literal: ',' }); // rows[i] = source row of out[i]
 */
export function splitExplode(col: Column, sep: SplitSep): { out: Column; rows: Int32Array } {
  const pieces = new Pieces();
  const n = col.length, off = col.offsets!, src = col.values as Uint8Array, valid = col.valid;
  if ('literal' in sep) {
    const needle = enc.encode(sep.literal);
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue;
      let s = off[i];
      const e = off[i + 1];
      for (let at = find(src, s, e, needle); at >= 0; at = find(src, s, e, needle)) {
        pieces.add(src, s, at, i);
        s = at + needle.length;
      }
      pieces.add(src, s, e, i);
    }
    return pieces.finish();
  }
  const re = new RegExp(sep.regex, sep.flags);
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const s = off[i], e = off[i + 1];
    for (const p of dec.decode(src.subarray(s, e)).split(re)) pieces.addString(p ?? '', i);
  }
  return pieces.finish();
}

function find(h: Uint8Array, s: number, e: number, needle: Uint8Array): number {
  const m = needle.length, first = needle[0];
  outer: for (let i = s; i + m <= e; i++) {
    if (h[i] !== first) continue;
    for (let k = 1; k < m; k++) if (h[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
