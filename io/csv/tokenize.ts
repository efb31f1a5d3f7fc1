/**
 * Finding rows and fields in CSV bytes.
 *
 * {@link tokenize} is the hot loop: it walks a partition once and records only the
 * [start, end) byte positions of the fields that were asked for; converting those bytes into
 * values happens afterwards, one column at a time (decode.ts), so each conversion loop is
 * monomorphic. Quoted fields are located with Buffer.indexOf (memchr), so long quoted text
 * costs little. Quote handling is strict (a quote may only open a field or be doubled inside
 * a quoted one): that is what makes the quote-parity partitioning in partition.ts exact.
 *
 * Runs of rows without a quote byte take a faster route: delimiters and line feeds are
 * located 16 bytes at a time in WebAssembly SIMD when the bytes are in the scanner's memory
 * (scan-wasm.ts; CSV partitions are read there), else four bytes at a time ({@link scanWindow}), and a row's fields are then read off the
 * delimiter positions, validated by comparing two of them against the row's line feed.
 * Everything unusual (a quote, a blank line, a wrong field count, a row longer than the
 * window) goes through the byte loop, which also produces every error message.
 */
import { CsvIssue } from './issue.js';
import type { Dialect } from './dialect.js';
import { csvScanner, MAX_SCAN } from './scan-wasm.js';

const LF = 10;
const CR = 13;

/** Bytes scanned per fast step: its delimiter and line feed positions stay in cache (and fit the SIMD scanner's lists). */
const WINDOW = MAX_SCAN;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** positions of the delimiters and line feeds of the current window (tokenize is synchronous) */
const delimAt = new Int32Array(WINDOW + 4);
const lfAt = new Int32Array(WINDOW + 4);
let nDelims = 0, nLfs = 0;

/** Field positions of the needed columns of a run of rows. */
export interface FieldIndex {
  rows: number;
  /** slots per row (the number of needed columns) */
  nSlots: number;
  /** for row r and slot s, field bytes are [pos[2(r*nSlots+s)], pos[2(r*nSlots+s)+1]) */
  pos: Uint32Array;
  /** per (row, slot): 0 unquoted, 1 quoted, 2 quoted with doubled quotes inside; absent when nothing was quoted */
  flags?: Uint8Array;
  /** where tokenizing stopped (start of the next row) */
  next: number;
}

/**
 * Splits rows [start, end) of `buf` into fields, recording those whose field index has a
 * slot (`slotOf[f] >= 0`). `buf[end]` must be a line feed (a sentinel the field scan stops
 * at, so the inner loop needs no bounds check). Stops after `maxRows` rows.
 * Blank lines are skipped, except in one-column data where they are empty fields.
 * @throws CsvIssue on an unterminated quote, a stray quote or a row with the wrong number of fields.
 * @example const idx = tokenize(buf, 0, len, dialect, 9, Int32Array.of(0, -1, -1, -1, -1, -1, 1, -1, -1), 2)
 */
export function tokenize(buf: Buffer, start: number, end: number, d: Dialect, nFields: number, slotOf: Int32Array, nSlots: number, maxRows = 0x7fffffff): FieldIndex {
  if (!(end < buf.length) || buf[end] !== LF) throw new Error('tokenize: the buffer needs a line feed sentinel at `end`');
  const delim = d.delim, quote = d.quote;
  const single = nFields === 1;
  let cap = Math.min(maxRows, estimateRows(buf, start, end));
  let pos = new Uint32Array(cap * nSlots * 2);
  let flags: Uint8Array | undefined;
  let rows = 0, p = start, quotes = 0;
  // the fast route needs several fields per row (one-column data treats blank lines as rows)
  // and word reads at int32 offsets
  const fast = nFields >= 2 && LITTLE_ENDIAN && buf.byteOffset + buf.length < 0x7ffffff0;
  // bytes read into the scanner's memory (the thread's scratch buffer) are scanned with SIMD
  const sc = fast ? csvScanner() : undefined;
  const simd = sc !== undefined && buf.buffer === sc.memory.buffer ? sc : undefined;
  const words = fast && !simd ? new Uint32Array(buf.buffer, 0, (buf.byteOffset + buf.length) >>> 2) : undefined;
  const bufAt = buf.byteOffset;
  const last = nFields - 1;
  const needField: number[] = [], needSlot: number[] = [];
  for (let f = 0; f < nFields; f++) if (slotOf[f] >= 0) { needField.push(f); needSlot.push(slotOf[f]); }
  const nNeed = needField.length;
  /** next quote byte at or after p (end + 1 when none); rows before it may take the fast route */
  let quoteAt = quote < 0 ? end + 1 : -1;
  /** byte-loop rows left before the fast route is tried again, and the next such pause */
  let skip = 0, backoff = 1;
  while (p < end && rows < maxRows) {
    if (fast && skip === 0) {
      if (quoteAt < p) { quoteAt = buf.indexOf(quote, p); if (quoteAt < 0 || quoteAt > end) quoteAt = end + 1; }
      const stop = Math.min(p + WINDOW, quoteAt, end + 1);
      let done = 0;
      if (stop > p) {
        let nd: number, nl: number, dAt: Int32Array, lAt: Int32Array;
        if (simd) { nd = simd.scan(bufAt + p, bufAt + stop, delim, bufAt); nl = simd.lfCount(); dAt = simd.delims; lAt = simd.lfs; }
        else { scanWindow(buf, words!, p, stop, delim); nd = nDelims; nl = nLfs; dAt = delimAt; lAt = lfAt; }
        let di = 0;
        for (let li = 0; li < nl && rows < maxRows; li++) {
          const le = lAt[li];
          // the row's delimiters are the next `last` ones: all before its line feed, the one after them past it
          if (di + last > nd || dAt[di + last - 1] > le || (di + last < nd && dAt[di + last] < le)) break;
          if (rows === cap) {
            cap *= 2;
            const np = new Uint32Array(cap * nSlots * 2); np.set(pos); pos = np;
            if (flags) { const nf = new Uint8Array(cap * nSlots); nf.set(flags); flags = nf; }
          }
          const base = rows * nSlots;
          for (let j = 0; j < nNeed; j++) {
            const f = needField[j];
            const fs = f === 0 ? p : dAt[di + f - 1] + 1;
            let fe = f === last ? le : dAt[di + f];
            if (f === last && fe > fs && buf[fe - 1] === CR) fe--;
            const k = 2 * (base + needSlot[j]);
            pos[k] = fs; pos[k + 1] = fe;
          }
          di += last;
          p = le + 1;
          rows++;
          done++;
        }
      }
      if (done > 0) { backoff = 1; continue; }
      // nothing the fast route could take here: the byte loop reads the next rows
      skip = backoff;
      if (backoff < 1024) backoff *= 2;
      if (rows >= maxRows || p >= end) break;
    }
    if (skip > 0) skip--;
    let c = buf[p];
    if (!single) {
      if (c === LF) { p++; continue; }
      if (c === CR && buf[p + 1] === LF) { p += 2; continue; }
    }
    if (rows === cap) {
      cap *= 2;
      const np = new Uint32Array(cap * nSlots * 2); np.set(pos); pos = np;
      if (flags) { const nf = new Uint8Array(cap * nSlots); nf.set(flags); flags = nf; }
    }
    const rowStart = p;
    const base = rows * nSlots;
    let f = 0;
    for (;;) {
      let fs = p, fe: number, flag = 0;
      if (c === quote) {
        let q = p + 1;
        fs = q; flag = 1;
        for (;;) {
          q = buf.indexOf(quote, q);
          if (q < 0 || q >= end) throw firstIssue(buf, start, d, new CsvIssue('unterminated', p));
          if (buf[q + 1] === quote && q + 1 < end) { flag = 2; q += 2; quotes += 2; continue; }
          break;
        }
        quotes += 2;
        fe = q;
        p = q + 1;
        c = buf[p];
        if (c === CR && buf[p + 1] === LF) c = buf[++p];
        if (c !== delim && c !== LF) throw firstIssue(buf, start, d, new CsvIssue('afterQuote', p));
      } else {
        while (c !== delim && c !== LF) c = buf[++p];
        fe = p;
        if (c === LF && fe > fs && buf[fe - 1] === CR) fe--;
      }
      if (f < nFields) {
        const s = slotOf[f];
        if (s >= 0) {
          const k = base + s;
          pos[2 * k] = fs; pos[2 * k + 1] = fe;
          if (flag !== 0) { flags ??= new Uint8Array(cap * nSlots); flags[k] = flag; }
        }
      }
      f++;
      if (c === delim) { c = buf[++p]; continue; }
      break;
    }
    if (f !== nFields) throw firstIssue(buf, start, d, new CsvIssue('fields', rowStart, `expected ${nFields} field${nFields === 1 ? '' : 's'}, found ${f}`));
    p++;
    rows++;
  }
  if (quote >= 0 && countByte(buf, quote, start, Math.min(p, end)) !== quotes) throw new CsvIssue('strayQuote', findStrayQuote(buf, start, end, d));
  return { rows, nSlots, pos, flags, next: Math.min(p, end) };
}

/**
 * Collects the positions of the delimiters and line feeds in [p, stop) of `buf` into
 * delimAt/lfAt (nDelims/nLfs), reading aligned 32-bit words of `words` (a view of buf's whole
 * ArrayBuffer) where possible. A byte equal to the pattern is found exactly, without the
 * false positives of the shorter has-zero-byte test, by
 * ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) on x = word ^ pattern.
 */
function scanWindow(buf: Buffer, words: Uint32Array, p: number, stop: number, delim: number): void {
  let nd = 0, nl = 0, i = p;
  const off = buf.byteOffset;
  for (; i < stop && ((off + i) & 3) !== 0; i++) {
    const c = buf[i];
    if (c === delim) delimAt[nd++] = i; else if (c === LF) lfAt[nl++] = i;
  }
  const dPat = Math.imul(delim, 0x01010101), lPat = 0x0a0a0a0a;
  const wEnd = (off + stop) >> 2;
  let w = (off + i) >> 2;
  let at = (w << 2) - off;
  for (; w < wEnd; w++, at += 4) {
    const x = words[w];
    const a = x ^ dPat, b = x ^ lPat;
    // one flag per matching byte at bits 0, 8, 16, 24: kept below the sign bit so the bit tricks stay int32
    let md = ~(((a & 0x7f7f7f7f) + 0x7f7f7f7f) | a | 0x7f7f7f7f) >>> 7;
    let ml = ~(((b & 0x7f7f7f7f) + 0x7f7f7f7f) | b | 0x7f7f7f7f) >>> 7;
    while (md !== 0) { delimAt[nd++] = at + ((31 - Math.clz32(md & -md)) >> 3); md &= md - 1; }
    while (ml !== 0) { lfAt[nl++] = at + ((31 - Math.clz32(ml & -ml)) >> 3); ml &= ml - 1; }
  }
  for (i = Math.max(i, at); i < stop; i++) {
    const c = buf[i];
    if (c === delim) delimAt[nd++] = i; else if (c === LF) lfAt[nl++] = i;
  }
  nDelims = nd; nLfs = nl;
}

/**
 * Rows expected in [start, end), from the line feeds in its first 64 KiB: sizing the
 * position arrays from the byte count alone would over-allocate wide rows many times over.
 */
function estimateRows(buf: Buffer, start: number, end: number): number {
  const probe = Math.min(end, start + (64 << 10));
  const lines = countByte(buf, LF, start, probe);
  if (lines === 0) return 16;
  return Math.ceil(((end - start) / (probe - start)) * lines * 1.1) + 16;
}

/**
 * Occurrences of byte `b` in [from, to), found with memchr.
 * @example countByte(Buffer.from('a\nb\n'), 10, 0, 4) // 2
 */
export function countByte(buf: Buffer, b: number, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(b, from); i >= 0 && i < to; i = buf.indexOf(b, i + 1)) n++;
  return n;
}

/**
 * The issue to report: a stray quote before `issue` comes first, so the error is the one a
 * single pass from the start of the file meets, however the file was partitioned.
 */
function firstIssue(buf: Buffer, start: number, d: Dialect, issue: CsvIssue): CsvIssue {
  if (d.quote < 0) return issue;
  const stray = findStrayQuote(buf, start, issue.at, d);
  return stray < issue.at ? new CsvIssue('strayQuote', stray) : issue;
}

/** Position of the first quote in [start, end) that neither opens a field nor belongs to a quoted one; `end` if none. */
function findStrayQuote(buf: Buffer, start: number, end: number, d: Dialect): number {
  let p = start, atFieldStart = true;
  while (p < end) {
    const c = buf[p];
    if (atFieldStart && c === d.quote) {
      const q = closingQuote(buf, p, end, d.quote);
      if (q < 0) return p;
      p = q + 1; atFieldStart = false;
      continue;
    }
    if (c === d.quote) return p;
    atFieldStart = c === d.delim || c === LF;
    p++;
  }
  return end;
}

/** Index of the quote closing the quoted field opened at `open`, or -1. */
function closingQuote(buf: Buffer, open: number, end: number, quote: number): number {
  let q = open + 1;
  for (;;) {
    q = buf.indexOf(quote, q);
    if (q < 0 || q >= end) return -1;
    if (q + 1 < end && buf[q + 1] === quote) { q += 2; continue; }
    return q;
  }
}

/** One row's fields as [start, end, flag] triples (flag as in {@link FieldIndex}). */
export interface Row { fields: [number, number, number][]; next: number }

/**
 * Reads one row starting at `start` without knowing the field count (for headers and first
 * rows). Returns null when the row does not end before `end` and more input may follow
 * (`atEof` false); at the end of the input a row without a final line break is complete.
 * @example readRow(Buffer.from('a,"b,c"\n'), 0, 8, resolveDialect(), true)!.fields.length // 2
 */
export function readRow(buf: Buffer, start: number, end: number, d: Dialect, atEof: boolean): Row | null {
  const fields: [number, number, number][] = [];
  let p = start;
  for (;;) {
    let fs = p, fe: number, flag = 0;
    if (p < end && buf[p] === d.quote) {
      const q = closingQuote(buf, p, end, d.quote);
      if (q < 0) {
        if (atEof) throw new CsvIssue('unterminated', p);
        return null;
      }
      fs = p + 1; fe = q; flag = 1;
      for (let i = buf.indexOf(d.quote, fs); i >= 0 && i < q; i = buf.indexOf(d.quote, i + 2)) flag = 2;
      p = q + 1;
      if (p < end && buf[p] === CR && p + 1 < end && buf[p + 1] === LF) p++;
      if (p < end && buf[p] !== d.delim && buf[p] !== LF) throw new CsvIssue('afterQuote', p);
    } else {
      while (p < end && buf[p] !== d.delim && buf[p] !== LF) p++;
      fe = p;
      if (p < end && buf[p] === LF && fe > fs && buf[fe - 1] === CR) fe--;
    }
    fields.push([fs, fe, flag]);
    if (p >= end) {
      if (!atEof) return null;
      if (fe === end && fe > fs && buf[fe - 1] === CR) fields[fields.length - 1][1] = fe - 1;
      return { fields, next: end };
    }
    if (buf[p] === d.delim) { p++; continue; }
    return { fields, next: p + 1 };
  }
}

/**
 * End of the last complete row in [start, end) (the position after its line feed), found by
 * quote parity; `start` when no row ends there.
 * @example lastRowEnd(Buffer.from('a\n"b\nc'), 0, 6, 34) // 2
 */
export function lastRowEnd(buf: Buffer, start: number, end: number, quote: number): number {
  let best = start, p = start;
  for (;;) {
    const q = quote < 0 ? -1 : buf.indexOf(quote, p);
    const segEnd = q < 0 || q >= end ? end : q;
    const lf = segEnd > p ? buf.lastIndexOf(LF, segEnd - 1) : -1;
    if (lf >= p) best = lf + 1;
    if (segEnd === end) return best;
    // skip the quoted section: up to the matching quote (doubled quotes pair up by parity)
    const close = buf.indexOf(quote, q + 1);
    if (close < 0 || close >= end) return best;
    p = close + 1;
  }
}
