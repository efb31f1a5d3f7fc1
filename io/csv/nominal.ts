/**
 * Nominal CSV partitions: byte ranges cut every `blocksize` bytes without reading the file.
 * A reader turns a nominal range into whole rows itself: it starts after the first line feed
 * at or after `start - 1` that lies outside quotes, and ends at the first such line feed at
 * or after `end - 1`, so neighbouring partitions meet at the same row boundary.
 *
 * "Outside quotes" depends on how many quote bytes come before the range in the file (the
 * parser only accepts quotes that open, close or double inside a field, so an odd count
 * means inside a quoted field). A reader assumes that count is even (`startParity` 0: the
 * common case, and always true of files without quoted line feeds near a cut) and reports
 * the quote bytes of its nominal range; the stage checks the assumption in source order and
 * reads a partition again with the right parity when it was wrong (planner/scheduler/stage.ts).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { IOError } from '../../core/errors.js';
import type { Partition, ReadStats } from '../source.js';

const LF = 10;
/** Bytes read past `end` at first, enough for the rest of a typical row. */
const LOOKAHEAD = 64 * 1024;

/**
 * Nominal ranges of `blocksize` bytes over [dataStart, size).
 * @example nominalRanges(34, 100, 40) // [[34, 74], [74, 100]]
 */
export function nominalRanges(dataStart: number, size: number, blocksize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = dataStart; s < size; s += blocksize) out.push([s, Math.min(size, s + blocksize)]);
  return out.length ? out : [[dataStart, size]];
}

/** Bytes of whole rows read for a nominal partition, with a line feed sentinel after `to`. */
export interface NominalRows { buf: Buffer; from: number; to: number; base: number }

async function readAt(fh: FileHandle, path: string, buf: Buffer, at: number, len: number, into = 0): Promise<number> {
  let n = 0;
  while (n < len) {
    let got: number;
    try { ({ bytesRead: got } = await fh.read(buf, into + n, len - n, at + n)); } catch (e) { throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e }); }
    if (got === 0) break;
    n += got;
  }
  return n;
}

/** Quote bytes of b[s, e). */
function countQuotes(b: Buffer, s: number, e: number, quote: number): number {
  let n = 0;
  for (let q = b.indexOf(quote, s); q >= 0 && q < e; q = b.indexOf(quote, q + 1)) n++;
  return n;
}

/**
 * The first line feed at or after `i` in b[.., n) outside quotes, given the quote parity at
 * `i` (`inQuote`); -1 when there is none before `n`. Also returns the parity at `n` then.
 */
function rowEnd(b: Buffer, i: number, n: number, quote: number, inQuote: boolean): { lf: number; inQuote: boolean } {
  let nq = quote < 0 ? -1 : b.indexOf(quote, i);
  if (nq >= n) nq = -1;
  for (;;) {
    if (inQuote) {
      if (nq < 0) return { lf: -1, inQuote };
      inQuote = false; i = nq + 1; nq = b.indexOf(quote, i); if (nq >= n) nq = -1;
      continue;
    }
    let lf = b.indexOf(LF, i);
    if (lf >= n) lf = -1;
    if (nq >= 0 && (lf < 0 || nq < lf)) { inQuote = true; i = nq + 1; nq = b.indexOf(quote, i); if (nq >= n) nq = -1; continue; }
    return { lf, inQuote: false };
  }
}

/**
 * Reads the whole rows nominal partition `part` owns (into buffers from `alloc`), and counts
 * the quote bytes of its nominal range into `stats.quotes`.
 * @example const rows = await loadNominal(part, 34, stats); // part.start/end nominal, 34 = '"'
 */
export async function loadNominal(part: Partition, quote: number, stats?: ReadStats, alloc: (n: number, fileOffset?: number) => Buffer = (n) => Buffer.allocUnsafe(n)): Promise<NominalRows> {
  const path = part.path, start = part.start ?? 0, end = part.end ?? 0;
  const first = part.firstInFile === true;
  const from = first ? start : start - 1;
  let fh: FileHandle;
  try { fh = await open(path, 'r'); } catch (e) { throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e }); }
  try {
    let cap = end - from + LOOKAHEAD;
    let buf = alloc(cap + 1, from);
    let n = await readAt(fh, path, buf, from, cap);
    if (stats && quote >= 0) stats.quotes = (stats.quotes ?? 0) + countQuotes(buf, start - from, Math.min(n, end - from), quote);
    // parity at `from`: the assumed parity at `start`, less the byte at start - 1
    let inQuote = (part.startParity ?? 0) === 1;
    if (!first && quote >= 0 && buf[0] === quote) inQuote = !inQuote;
    let s = 0;
    if (!first) {
      const r = rowEnd(buf, 0, n, quote, inQuote);
      // no row starts in the range: everything here belongs to the previous partition's last row
      if (r.lf < 0 || r.lf >= end - 1 - from) { buf[0] = LF; return { buf, from: 0, to: 0, base: from }; }
      s = r.lf + 1;
      inQuote = false;
    }
    // the parity at end - 1, then the first line feed outside quotes from there on
    const tail = Math.max(s, end - 1 - from);
    if (quote >= 0 && countQuotes(buf, s, Math.min(tail, n), quote) % 2 === 1) inQuote = true;
    let at = Math.min(tail, n);
    for (;;) {
      const r = rowEnd(buf, at, n, quote, inQuote);
      if (r.lf >= 0) { buf[r.lf + 1] = LF; return { buf, from: s, to: r.lf + 1, base: from }; }
      if (n < cap) { buf[n] = LF; return { buf, from: s, to: n, base: from }; } // end of file
      // the last row runs past what was read: read on
      inQuote = r.inQuote;
      at = n;
      const grown = alloc(cap * 2 + 1);
      buf.copy(grown, 0, 0, n);
      buf = grown;
      n += await readAt(fh, path, buf, from + n, cap, n);
      cap *= 2;
    }
  } finally {
    await fh.close();
  }
}
