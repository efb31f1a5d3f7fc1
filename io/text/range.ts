/**
 * Reading the whole lines a byte range owns from an uncompressed file.
 *
 * A partition [start, end) owns every line whose first byte lies in the range, so the
 * nominal ranges cut in describe need no pass over the file: the reader skips the line in
 * progress at `start` (it belongs to the previous partition) and reads past `end` up to the
 * line feed that ends its last line. Cuts therefore fall only after a line feed, which
 * never splits a line nor a UTF-8 character. Reading past `end` stops once the line in
 * progress exceeds the line limit, so memory stays bounded by range + limit.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { IOError } from '../../core/errors.js';
import { lineTooLong } from './limit.js';

const LF = 10;
/** Bytes read past `end` in the first read, enough for the tail of a typical line. */
const LOOKAHEAD = 64 * 1024;
/** Largest piece read at once while looking for the end of a long last line. */
const MAX_PIECE = 8 << 20;

/**
 * Bytes of whole lines and the file offset of their first byte.
 * @example const { bytes, base }: LineBytes = await readLineRange(path, 0, 1024, 1 << 20, 'readText');
 */
export interface LineBytes { bytes: Uint8Array; base: number }

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IOError(`no such file: ${path}`, path, { cause: e });
    if (code === 'EISDIR') throw new IOError(`${path} is a directory`, path, { cause: e });
    throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e });
  }
}

/** Fills `buf` from file offset `at`; fewer bytes only at the end of the file. */
async function readAt(fh: FileHandle, path: string, buf: Uint8Array, at: number): Promise<number> {
  let n = 0;
  while (n < buf.length) {
    let got;
    try { ({ bytesRead: got } = await fh.read(buf, n, buf.length - n, at + n)); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new IOError(`${path} is a directory`, path, { cause: e });
      throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e });
    }
    if (got === 0) break;
    n += got;
  }
  return n;
}

/**
 * Allocates the buffer a range is read into, given the file offset the read starts at; a
 * caller whose bytes never outlive its use may hand back the same scratch buffer every time
 * (see ScratchAlloc in io/scratch.ts).
 * @example const alloc: Alloc = (n) => new Uint8Array(n);
 */
export type Alloc = (bytes: number, fileOffset?: number) => Uint8Array;

/**
 * The bytes of the lines that start in [start, end) of `path`, including the line feed of
 * the last one when the file has it. The range is read into `alloc`'s buffer.
 * @throws IOError when the file cannot be read; ResourceError when the last line runs past
 *   `maxLineBytes`.
 * @example const { bytes, base } = await readLineRange('big.txt', 1 << 24, 2 << 24, 64 << 20, 'readText')
 */
export async function readLineRange(path: string, start: number, end: number, maxLineBytes: number, api: string, alloc: Alloc = (n) => new Uint8Array(n)): Promise<LineBytes> {
  const empty = { bytes: new Uint8Array(0), base: start };
  if (end <= start) return empty;
  const from = start > 0 ? start - 1 : 0;
  const fh = await openFile(path);
  try {
    const buf = alloc(end - from + LOOKAHEAD, from);
    const n = await readAt(fh, path, buf, from);
    const eof = n < buf.length;
    let s = 0;
    if (start > 0) {
      // the line in progress at `start` is the previous partition's
      const lf = buf.subarray(0, Math.min(n, end - from - 1)).indexOf(LF);
      if (lf < 0) return empty;
      s = lf + 1;
    }
    if (s >= n) return { bytes: new Uint8Array(0), base: from + s };
    const tailFrom = Math.max(s, end - 1 - from);
    const lf = tailFrom < n ? buf.subarray(0, n).indexOf(LF, tailFrom) : -1;
    if (lf >= 0) return { bytes: buf.subarray(s, lf + 1), base: from + s };
    if (eof) return { bytes: buf.subarray(s, n), base: from + s };
    return await readTail(fh, path, buf.subarray(s, n), from + s, maxLineBytes, api);
  } finally {
    await fh.close();
  }
}

/** Reads on from the end of `head` until the line in progress ends (or the file does). */
async function readTail(fh: FileHandle, path: string, head: Uint8Array, base: number, maxLineBytes: number, api: string): Promise<LineBytes> {
  const lastLf = head.lastIndexOf(LF);
  const lineStart = lastLf + 1;
  const parts: Uint8Array[] = [head];
  let total = head.length;
  let piece = LOOKAHEAD;
  for (;;) {
    piece = Math.min(piece * 2, MAX_PIECE);
    const buf = new Uint8Array(piece);
    const n = await readAt(fh, path, buf, base + total);
    const lf = buf.subarray(0, n).indexOf(LF);
    const take = lf >= 0 ? lf + 1 : n;
    const lineLength = total - lineStart + (lf >= 0 ? lf : n);
    if (lineLength > maxLineBytes) throw lineTooLong(path, base + lineStart, maxLineBytes, api, false);
    parts.push(buf.subarray(0, take));
    total += take;
    if (lf >= 0 || n < piece) break;
  }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { bytes.set(p, o); o += p.length; }
  return { bytes, base };
}
