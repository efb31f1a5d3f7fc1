/**
 * Malformed-input findings of the byte-level parser, and their translation into a
 * {@link ParseError} that names the file, the 1-based line, the byte offset and the column.
 *
 * The hot loops only know byte positions in their buffer; turning a position into a line
 * number needs the newlines before it, which are counted only here, on the error path, so
 * neither the partitioning pass nor the parser pays for line bookkeeping.
 */
import { open } from 'node:fs/promises';
import { ParseError } from '../../core/errors.js';

/** What went wrong, at which byte of the parser's buffer. Internal: never escapes the reader. */
export class CsvIssue extends Error {
  constructor(
    readonly kind: 'unterminated' | 'afterQuote' | 'strayQuote' | 'fields' | 'value',
    /** position in the buffer being parsed */
    readonly at: number,
    readonly detail = '',
    readonly column?: string,
    /** what the user can do about it */
    readonly hint = '',
  ) {
    super(detail || kind);
  }
}

/** Where a parser buffer sits in its file. */
export interface BufferPlace {
  file: string;
  buf: Uint8Array;
  /** file (or decompressed stream) offset of buf[0] */
  base: number;
  /** 1-based line of buf[0] when known; otherwise the file prefix is scanned to find it */
  firstLine?: number;
  /** true for decompressed input: offsets count decompressed bytes */
  decompressed?: boolean;
}

function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10) n++;
  return n;
}

/** 1-based line number of byte `at` of the buffer. */
async function lineOf(p: BufferPlace, at: number): Promise<number | undefined> {
  if (p.firstLine !== undefined) return p.firstLine + countNewlines(p.buf, 0, at);
  if (p.decompressed) return undefined;
  // count the newlines of the file before the buffer, then within it
  let n = 1;
  try {
    const fh = await open(p.file, 'r');
    try {
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (let off = 0; off < p.base;) {
        const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, p.base - off), off);
        if (bytesRead === 0) break;
        for (let i = chunk.indexOf(10, 0); i >= 0 && i < bytesRead; i = chunk.indexOf(10, i + 1)) n++;
        off += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  return n + countNewlines(p.buf, 0, at);
}

const dec = new TextDecoder();

/**
 * A field value for an error message: decoded, and shortened when long.
 * @example showValue(Buffer.from('x7,'), 0, 2) // 'x7'
 */
export function showValue(buf: Uint8Array, s: number, e: number): string {
  const text = dec.decode(buf.subarray(s, Math.min(e, s + 80)));
  return e - s > 80 ? `${text}...` : text;
}

/**
 * Converts a parser finding into the ParseError users see.
 * @example throw await toParseError(issue, { file, buf, base: part.start, firstLine: part.firstLine })
 */
export async function toParseError(issue: CsvIssue, p: BufferPlace): Promise<ParseError> {
  const line = await lineOf(p, issue.at);
  const offset = p.base + issue.at;
  const where = `${line !== undefined ? `line ${line} of ` : ''}${p.file} (${p.decompressed ? 'decompressed ' : ''}byte offset ${offset})`;
  let msg: string;
  switch (issue.kind) {
    case 'unterminated':
      msg = `unterminated quoted field starting at ${where}: the closing quote is missing; pass quote: '' to read quote characters as plain text`;
      break;
    case 'afterQuote':
      msg = `unexpected character after a closing quote at ${where}; a quoted field must end at a delimiter or line end (write a quote inside a quoted field as two quotes)`;
      break;
    case 'strayQuote':
      msg = `quote character inside an unquoted field at ${where}; quote the whole field (doubling inner quotes), or pass quote: '' to read quote characters as plain text`;
      break;
    case 'fields':
      msg = `${issue.detail} at ${where}`;
      break;
    case 'value':
      msg = `${issue.detail} in column "${issue.column}" at ${where}${issue.hint ? `; ${issue.hint}` : ''}`;
      break;
  }
  return new ParseError(msg, { file: p.file, line, offset, column: issue.column }, { cause: issue });
}
