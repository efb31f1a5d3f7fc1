/**
 * The start of a CSV file: byte order mark, header row, and a sample of rows for type
 * inference (the first ~1 MiB, at most 10k rows), decompressing only as much as needed.
 */
import { open } from 'node:fs/promises';
import { IOError, ParseError } from '../../core/errors.js';
import type { DType } from '../../core/types.js';
import { readDecompressed, type Compression } from '../compress.js';
import type { Dialect } from './dialect.js';
import { inferTypes } from './infer.js';
import { CsvIssue, toParseError } from './issue.js';
import { lastRowEnd, readRow, tokenize, type Row } from './tokenize.js';

/** Bytes read for inference (grown when the first rows do not fit). */
export const SAMPLE_BYTES = 1 << 20;
/** Rows looked at for inference. */
export const SAMPLE_ROWS = 10_000;
const MAX_PROBE = 64 << 20;

/** What the start of one file says. */
export interface FileHead {
  /** column names from the header, or column_1... */
  names: string[];
  /** inferred types (only when asked to infer) */
  types?: DType[];
  /** data rows the types were inferred from */
  sampled?: number;
  /** offset of the first data row (after the BOM and the header) */
  dataStart: number;
  /** 1-based line of the first data row */
  firstLine: number;
}

interface Bytes { buf: Buffer; len: number; eof: boolean }

async function readPrefix(path: string, compression: Compression, want: number): Promise<Bytes> {
  if (compression !== 'none') {
    const data = await readDecompressed(path, compression, { maxBytes: want, spare: 1 });
    const len = data.length - 1;
    return { buf: Buffer.from(data.buffer, data.byteOffset, data.length), len, eof: len < want };
  }
  let fh;
  try { fh = await open(path, 'r'); } catch (e) { throw new IOError(`cannot read ${path}: ${(e as Error).message}`, path, { cause: e }); }
  try {
    const buf = Buffer.alloc(want + 1);
    let len = 0;
    while (len < want) {
      const { bytesRead } = await fh.read(buf, len, want - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    return { buf, len, eof: len < want };
  } finally {
    await fh.close();
  }
}

const dec = new TextDecoder();

function fieldText(buf: Buffer, [s, e, flag]: [number, number, number], quote: number): string {
  const text = dec.decode(buf.subarray(s, e));
  return flag === 2 ? text.split(String.fromCharCode(quote).repeat(2)).join(String.fromCharCode(quote)) : text;
}

/** Header names made usable: blanks become column_N, repeats get a _1, _2... suffix. */
function uniqueNames(raw: string[]): string[] {
  const used = new Set<string>();
  return raw.map((r, i) => {
    let name = r === '' ? `column_${i + 1}` : r;
    for (let k = 1; used.has(name); k++) name = `${r === '' ? `column_${i + 1}` : r}_${k}`;
    used.add(name);
    return name;
  });
}

/**
 * Length of a UTF-8 byte order mark at the start, if any.
 * @example bomLength(Buffer.from('\uFEFFa,b'), 6) // 3
 */
export function bomLength(buf: Uint8Array, len: number): number {
  return len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/**
 * Where the data rows of an in-memory file start: after the BOM and, with a header, the header row.
 * @example dataStartOf(Buffer.from('a,b\n1,2\n'), 8, resolveDialect()) // 4
 */
export function dataStartOf(buf: Buffer, len: number, d: Dialect): number {
  const bom = bomLength(buf, len);
  if (!d.header || len === bom) return bom;
  return readRow(buf, bom, len, d, true)!.next;
}

/**
 * Reads the head of a file: names and data start, and with `infer` the sampled types.
 * @throws ParseError for an empty (0-byte) file or malformed first rows.
 * @example const { names, types } = await readHead('data.csv', 'none', resolveDialect(), true)
 */
export async function readHead(path: string, compression: Compression, d: Dialect, infer: boolean): Promise<FileHead> {
  for (let want = infer ? SAMPLE_BYTES : 64 << 10; ; want *= 4) {
    const { buf, len, eof } = await readPrefix(path, compression, want);
    const place = { file: path, buf, base: 0, firstLine: 1, decompressed: compression !== 'none' };
    const bom = bomLength(buf, len);
    if (len === bom && eof) throw new ParseError(`empty file: ${path} has no ${bom ? 'bytes after its byte order mark' : 'bytes'} (expected a CSV header or rows)`, { file: path, line: 1, offset: 0 });
    try {
      const first: Row | null = readRow(buf, bom, len, d, eof);
      if (!first) {
        if (want >= MAX_PROBE) throw new ParseError(`${path}: the first row is longer than ${MAX_PROBE} bytes; is this a CSV file?`, { file: path, line: 1, offset: 0 });
        continue;
      }
      const names = d.header ? uniqueNames(first.fields.map((f) => fieldText(buf, f, d.quote)))
        : first.fields.map((_, i) => `column_${i + 1}`);
      const dataStart = d.header ? first.next : bom;
      let firstLine = 1;
      for (let i = 0; i < dataStart; i++) if (buf[i] === 10) firstLine++;
      if (!infer) return { names, dataStart, firstLine };
      const cut = eof ? len : lastRowEnd(buf, dataStart, len, d.quote);
      if (cut === dataStart && !eof && want < MAX_PROBE) continue;
      buf[cut] = 10; // sentinel for the tokenizer; the bytes after the cut are not used
      const all = Int32Array.from(names, (_, i) => i);
      const idx = tokenize(buf, dataStart, cut, d, names.length, all, names.length, SAMPLE_ROWS);
      return { names, types: inferTypes(buf, idx, d), sampled: idx.rows, dataStart, firstLine };
    } catch (e) {
      if (e instanceof CsvIssue) throw await toParseError(e, place);
      throw e;
    }
  }
}
