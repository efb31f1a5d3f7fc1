/**
 * UTF-8 validation and repair of raw line bytes.
 *
 * Valid input (the common case) is recognised by one native pass (`buffer.isUtf8`) and
 * returned untouched. Invalid input is rewritten with each maximal invalid subpart replaced
 * by U+FFFD, the rule of the WHATWG Encoding standard that `TextDecoder` follows, so the
 * bytes of a column decode to exactly the string `TextDecoder` would give for the raw line.
 * ASCII bytes are never part of an invalid sequence, so line feeds stay where they were and
 * line numbers survive the repair.
 */
import { isUtf8 } from 'node:buffer';

/**
 * The result of {@link repairUtf8}.
 * @example const { bytes, invalid }: Repaired = repairUtf8(raw);
 */
export interface Repaired {
  /** valid UTF-8: the input itself when it was valid, else a new buffer */
  bytes: Uint8Array;
  /** invalid sequences replaced */
  invalid: number;
}

/** Byte length of a valid sequence starting at `i`, or 0 when `b[i..]` starts an invalid one (see {@link invalidLength}). */
function validLength(b: Uint8Array, i: number, n: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let need: number, lower = 0x80, upper = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lower = 0xa0; else if (c === 0xed) upper = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lower = 0x90; else if (c === 0xf4) upper = 0x8f; }
  else return 0;
  for (let k = 1; k <= need; k++) {
    const x = i + k < n ? b[i + k] : -1;
    if (x < lower || x > upper) return 0;
    lower = 0x80; upper = 0xbf;
  }
  return need + 1;
}

/** Bytes of the maximal invalid subpart at `i` (the lead byte plus the continuation bytes that still fitted). */
function invalidLength(b: Uint8Array, i: number, n: number): number {
  const c = b[i];
  let need: number, lower = 0x80, upper = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) { need = 2; if (c === 0xe0) lower = 0xa0; else if (c === 0xed) upper = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { need = 3; if (c === 0xf0) lower = 0x90; else if (c === 0xf4) upper = 0x8f; }
  else return 1;
  let k = 1;
  for (; k <= need && i + k < n; k++) {
    const x = b[i + k];
    if (x < lower || x > upper) break;
    lower = 0x80; upper = 0xbf;
  }
  return k;
}

/** Calls `bad(at, len)` for each invalid sequence, in order; returns how many there were. */
function eachInvalid(b: Uint8Array, bad: (at: number, len: number) => void): number {
  const n = b.length;
  let count = 0;
  for (let i = 0; i < n;) {
    if (b[i] < 0x80) { i++; continue; }
    const v = validLength(b, i, n);
    if (v) { i += v; continue; }
    const len = invalidLength(b, i, n);
    bad(i, len);
    count++;
    i += len;
  }
  return count;
}

const ignore = (): void => {};

/**
 * Number of invalid UTF-8 sequences in `bytes` (each would become one U+FFFD).
 * @example countInvalidUtf8(Uint8Array.of(0x61, 0xff, 0x62)) // 1
 */
export function countInvalidUtf8(bytes: Uint8Array): number {
  return isUtf8(bytes) ? 0 : eachInvalid(bytes, ignore);
}

/**
 * `bytes` as valid UTF-8, with each invalid sequence replaced by U+FFFD (EF BF BD).
 * @example new TextDecoder().decode(repairUtf8(Uint8Array.of(0x61, 0xc3)).bytes) // 'a\uFFFD'
 */
export function repairUtf8(bytes: Uint8Array): Repaired {
  if (isUtf8(bytes)) return { bytes, invalid: 0 };
  const spans: number[] = [];
  let dropped = 0;
  const invalid = eachInvalid(bytes, (at, len) => { spans.push(at, len); dropped += len; });
  const out = new Uint8Array(bytes.length - dropped + 3 * invalid);
  let o = 0, from = 0;
  for (let k = 0; k < spans.length; k += 2) {
    const at = spans[k];
    out.set(bytes.subarray(from, at), o); o += at - from;
    out[o++] = 0xef; out[o++] = 0xbf; out[o++] = 0xbd;
    from = at + spans[k + 1];
  }
  out.set(bytes.subarray(from), o);
  return { bytes: out, invalid };
}
