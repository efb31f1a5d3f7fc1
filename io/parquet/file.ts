/**
 * File access for the Parquet reader: positional reads and the footer (FileMetaData).
 *
 * The footer is parsed once per file per process and cached by (path, size, mtime), so a
 * worker reading one row group after another of the same file pays for it once.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { parquetMetadata } from 'hyparquet';
import type { FileMetaData, ParquetParsers } from 'hyparquet';
import { IOError, ParseError } from '../../core/errors.js';

const dec = new TextDecoder();

/**
 * Statistics come out of the footer already in Tessera's units: timestamps as microseconds,
 * dates as days, strings as strings (hyparquet would build Date objects, which lose the
 * microseconds).
 */
const statParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v) * 1000,
  timestampFromMicroseconds: (v: bigint) => Number(v),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1000n),
  dateFromDays: (d: number) => d,
  stringFromBytes: (b: Uint8Array) => (b ? dec.decode(b) : b),
};

/**
 * Worker threads read synchronously: a thread runs one task at a time and has nothing to do
 * while its bytes arrive, and an asynchronous read waits for a libuv pool thread (competing
 * for the same two cores) and then for the thread's event loop. Measured on the flights
 * report, cold: median 182 -> 166 ms over 20 alternating fresh runs (q1 Parquet unchanged).
 * Opening, stat and closing the file too: asynchronously they took 0.2-18 ms per row group of
 * a q1 query (two such round trips per task), against ~20 us synchronously.
 * The main thread keeps asynchronous reads.
 */
const SYNC_READS = !isMainThread;

/**
 * An open file as the readers use it: a FileHandle on the main thread; in worker threads, a
 * descriptor opened, stat'ed and closed synchronously (see {@link SYNC_READS}).
 */
export type OpenFile = Pick<FileHandle, 'fd' | 'close'> & { stat(): Promise<Stats> };

/** A descriptor opened with openSync, behind the {@link OpenFile} methods (which never wait). */
function syncFile(fd: number): OpenFile {
  return { fd, stat: async () => fstatSync(fd), close: async () => closeSync(fd) };
}

/** Opens a file for reading; IOError naming the path when that fails. */
export async function openFile(path: string): Promise<OpenFile> {
  try {
    return SYNC_READS ? syncFile(openSync(path, 'r')) : await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new IOError(`cannot open ${path}: ${why}`, path, { cause: e });
  }
}

/**
 * Reads exactly `length` bytes at `position`; a short read means the file is shorter than
 * its footer says, which is reported as a ParseError at that offset.
 */
export async function readRange(fh: OpenFile, path: string, position: number, length: number): Promise<Uint8Array> {
  return readInto(fh, path, new Uint8Array(length), position);
}

/**
 * Fills `buf` from `position`; a short read is a ParseError as in {@link readRange}.
 * @example const bytes = await readInto(fh, path, scratch(len), start);
 */
export async function readInto<T extends Uint8Array>(fh: OpenFile, path: string, buf: T, position: number): Promise<T> {
  const length = buf.length;
  let done = 0;
  while (done < length) {
    const bytesRead = SYNC_READS ? readSync(fh.fd, buf, done, length - done, position + done) : (await (fh as FileHandle).read(buf, done, length - done, position + done)).bytesRead;
    if (bytesRead === 0) {
      throw new ParseError(`${path}: truncated file: expected ${length} bytes at offset ${position}, the file ends at ${position + done}`, { file: path, offset: position + done });
    }
    done += bytesRead;
  }
  return buf;
}

const MAGIC = 0x31524150; // "PAR1" little-endian

/** Reads and parses the footer of an open file of known size. */
async function readFooter(fh: OpenFile, path: string, size: number): Promise<FileMetaData> {
  if (size === 0) throw new ParseError(`${path}: empty file, not a Parquet file`, { file: path, offset: 0 });
  if (size < 12) throw new ParseError(`${path}: ${size} bytes is too short for a Parquet file (needs "PAR1" header and footer)`, { file: path, offset: 0 });
  const tail = await readRange(fh, path, size - 8, 8);
  const tv = new DataView(tail.buffer);
  if (tv.getUint32(4, true) !== MAGIC) {
    const head = await readRange(fh, path, 0, 4);
    const isParquet = new DataView(head.buffer).getUint32(0, true) === MAGIC;
    throw new ParseError(isParquet
      ? `${path}: truncated or corrupt Parquet file: the footer magic "PAR1" is missing at the end`
      : `${path}: not a Parquet file (no "PAR1" magic)`, { file: path, offset: size - 4 });
  }
  const metaLen = tv.getUint32(0, true);
  if (metaLen > size - 12) {
    throw new ParseError(`${path}: corrupt Parquet footer: metadata length ${metaLen} exceeds the file size ${size}`, { file: path, offset: size - 8 });
  }
  const footer = await readRange(fh, path, size - 8 - metaLen, metaLen + 8);
  try {
    return parquetMetadata(footer, { parsers: statParsers as ParquetParsers, geoparquet: false });
  } catch (e) {
    throw new ParseError(`${path}: corrupt Parquet footer: ${(e as Error).message}`, { file: path, offset: size - 8 - metaLen }, { cause: e });
  }
}

interface CachedMeta { size: number; mtimeMs: number; meta: FileMetaData }
const cache = new Map<string, CachedMeta>();
const CACHE_MAX = 32;

/** The footer of `path`, from the cache when the file is unchanged. */
export async function fileMetadata(path: string, fh?: OpenFile): Promise<{ meta: FileMetaData; size: number; mtimeMs: number }> {
  let st;
  try {
    st = fh ? await fh.stat() : await stat(path);
  } catch (e) {
    throw new IOError(`cannot access ${path}: ${(e as Error).message}`, path, { cause: e });
  }
  if (st.isDirectory()) throw new IOError(`${path} is a directory, not a Parquet file`, path);
  const hit = cache.get(path);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return { meta: hit.meta, size: st.size, mtimeMs: st.mtimeMs };
  const own = fh ?? await openFile(path);
  try {
    const meta = await readFooter(own, path, st.size);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, meta });
    return { meta, size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    if (!fh) await own.close();
  }
}
