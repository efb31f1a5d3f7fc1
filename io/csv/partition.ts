/**
 * Cutting a CSV file into byte ranges of whole rows, so partitions parse independently.
 *
 * A line feed ends a row unless it is inside a quoted field. Because the parser only accepts
 * quotes that open a field, close it, or are doubled inside it (tokenize.ts), a position is
 * inside a quoted field exactly when an odd number of quote bytes precede it. The pass
 * therefore only needs the positions of quote bytes, found with Buffer.indexOf (memchr): a
 * block without quotes costs one memchr, and a cut is the first line feed at or after the
 * target offset with even quote parity. Line numbers are not counted here (that would cost
 * as much as the rest of the pass); issue.ts counts them only when an error needs one.
 */
import { open } from 'node:fs/promises';
import { IOError } from '../../core/errors.js';

const CHUNK = 8 << 20;
const LF = 10;

/**
 * Byte ranges [start, end) covering [dataStart, size) of the file, each ending at a row
 * boundary and spanning about `blocksize` bytes (a range ends at the first row end at or
 * after `start + blocksize`). Never empty: a file without data rows gives one empty range.
 * @example await cutRanges('big.csv', 5e8, 34, 16 << 20, 34) // [[34, 16777290], ...]
 */
export async function cutRanges(path: string, size: number, dataStart: number, blocksize: number, quote: number): Promise<[number, number][]> {
  if (size - dataStart <= blocksize) return [[dataStart, size]];
  const ranges: [number, number][] = [];
  let partStart = dataStart, target = dataStart + blocksize, inQuote = false;
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e }); }
  try {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - dataStart));
    for (let off = dataStart; off < size && target < size;) {
      let n = 0;
      const want = Math.min(chunk.length, size - off);
      while (n < want) {
        const { bytesRead } = await fh.read(chunk, n, want - n, off + n);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      if (n === 0) break; // the file shrank since it was measured; the read of the last range reports it
      const b = chunk.subarray(0, n);
      let i = 0;
      let nq = quote < 0 ? -1 : b.indexOf(quote, 0);
      for (;;) {
        // bring the quote parity from i up to where the next cut may start
        const from = Math.max(i, target - 1 - off);
        const upTo = Math.min(from, n);
        while (nq >= 0 && nq < upTo) { inQuote = !inQuote; nq = b.indexOf(quote, nq + 1); }
        i = upTo;
        if (from >= n) break;
        let found = -1;
        while (i < n) {
          if (inQuote) {
            if (nq < 0) { i = n; break; }
            inQuote = false; i = nq + 1; nq = b.indexOf(quote, i);
            continue;
          }
          const lf = b.indexOf(LF, i);
          if (nq >= 0 && (lf < 0 || nq < lf)) { inQuote = true; i = nq + 1; nq = b.indexOf(quote, i); continue; }
          if (lf < 0) { i = n; break; }
          found = lf; i = lf + 1;
          break;
        }
        if (found < 0) break;
        const boundary = off + found + 1;
        if (boundary >= size) { target = size; break; }
        ranges.push([partStart, boundary]);
        partStart = boundary;
        target = boundary + blocksize;
        if (target >= size) break;
      }
      off += n;
    }
  } finally {
    await fh.close();
  }
  ranges.push([partStart, size]);
  return ranges;
}
