/** String kernels over UTF-8 bytes; ASCII takes a byte fast path, other text goes through JS strings. */
import type { Column } from '../../../core/types.js';
import type { StrOp } from '../../../core/expr/node.js';
import { boolColumn, f64Column, withValid } from './util.js';
import { lowerUtf8 } from '../text/lower-utf8.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function isAscii(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] & 0x80) return false;
  return true;
}

/** Maps each value's bytes; `ascii` handles pure-ASCII values in place, `js` the rest. */
function mapBytes(a: Column, ascii: (src: Uint8Array, dst: Uint8Array, s: number, e: number, o: number) => number, js: (s: string) => string): Column {
  const n = a.length, off = a.offsets!, src = a.values as Uint8Array;
  if (isAscii(src, off[0], off[n])) {
    const values = new Uint8Array(off[n] - off[0]), offsets = new Int32Array(n + 1);
    let o = 0;
    for (let i = 0; i < n; i++) { o = ascii(src, values, off[i], off[i + 1], o); offsets[i + 1] = o; }
    return withValid({ type: 'utf8', length: n, values: o === values.length ? values : values.slice(0, o), offsets }, a.valid);
  }
  const parts: Uint8Array[] = new Array(n), offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = src.subarray(off[i], off[i + 1]);
    if (isAscii(b, 0, b.length)) { const d = new Uint8Array(b.length); parts[i] = d.subarray(0, ascii(b, d, 0, b.length, 0)); }
    else parts[i] = enc.encode(js(dec.decode(b)));
    total += parts[i].length; offsets[i + 1] = total;
  }
  const values = new Uint8Array(total);
  for (let i = 0; i < n; i++) values.set(parts[i], offsets[i]);
  return withValid({ type: 'utf8', length: n, values, offsets }, a.valid);
}

const upperAscii = (src: Uint8Array, dst: Uint8Array, s: number, e: number, o: number) => {
  for (let k = s; k < e; k++) { const c = src[k]; dst[o++] = c >= 97 && c <= 122 ? c & ~32 : c; }
  return o;
};
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const stripAscii = (src: Uint8Array, dst: Uint8Array, s: number, e: number, o: number) => {
  while (s < e && isSpace(src[s])) s++;
  while (e > s && isSpace(src[e - 1])) e--;
  for (let k = s; k < e; k++) dst[o++] = src[k];
  return o;
};

function indexOfBytes(h: Uint8Array, s: number, e: number, needle: Uint8Array): number {
  const m = needle.length;
  if (m === 0) return s;
  const first = needle[0];
  outer: for (let i = s; i + m <= e; i++) {
    if (h[i] !== first) continue;
    for (let k = 1; k < m; k++) if (h[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export function strKernel(op: StrOp, a: Column, arg?: string): Column {
  const n = a.length, off = a.offsets!, src = a.values as Uint8Array;
  switch (op) {
    // per code point, as DuckDB (and the word-count kernel): 'İ' -> 'i', a final 'Σ' -> 'σ'
    case 'lower': return lowerUtf8(a);
    case 'upper': return mapBytes(a, upperAscii, (s) => s.toUpperCase());
    case 'strip': return mapBytes(a, stripAscii, (s) => s.trim());
    case 'len': {
      const out = new Float64Array(n);
      // code points = bytes that are not UTF-8 continuation bytes
      for (let i = 0; i < n; i++) { let c = 0; for (let k = off[i]; k < off[i + 1]; k++) c += (src[k] & 0xc0) !== 0x80 ? 1 : 0; out[i] = c; }
      return f64Column('int64', out, a.valid);
    }
    case 'contains': case 'startsWith': case 'endsWith': {
      const needle = enc.encode(arg ?? ''), m = needle.length, out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const s = off[i], e = off[i + 1];
        if (op === 'contains') out[i] = indexOfBytes(src, s, e, needle) >= 0 ? 1 : 0;
        else if (e - s < m) out[i] = 0;
        else {
          const b = op === 'startsWith' ? s : e - m;
          let ok = 1;
          for (let k = 0; k < m; k++) if (src[b + k] !== needle[k]) { ok = 0; break; }
          out[i] = ok;
        }
      }
      return boolColumn(out, a.valid);
    }
  }
}
