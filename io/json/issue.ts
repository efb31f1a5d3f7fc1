/**
 * Problems with a JSON line, and their translation into a {@link ParseError} naming the
 * file, the 1-based line, the byte offset and a snippet of the line.
 *
 * The parse loop only counts lines within its block; the line number in the file and the
 * byte offset of the line are worked out here, on the error path, so reading pays nothing
 * for them (a partition that starts inside a file counts the line feeds before it).
 */
import { open } from 'node:fs/promises';
import { ParseError } from '../../core/errors.js';
import type { DType } from '../../core/types.js';

const LF = 10;
const SNIPPET = 80;

/**
 * What is wrong with a line. Internal: never escapes the reader.
 * @example throw new JsonIssue('syntax', 4, line, 'Unexpected token');
 */
export class JsonIssue extends Error {
  constructor(
    readonly kind: 'syntax' | 'notObject' | 'type',
    /** 0-based index of the line within its block */
    readonly lineIndex: number,
    /** the line's text */
    readonly text: string,
    readonly detail: string,
    readonly column?: string,
    readonly value?: unknown,
    readonly expected?: DType,
  ) {
    super(detail);
  }
}

/**
 * Where a block of lines sits in its file.
 * @example const place: BlockPlace = { file, bytes, base: part.start ?? 0, decompressed: false };
 */
export interface BlockPlace {
  file: string;
  /** the raw bytes of the block (line feeds where the file has them) */
  bytes: Uint8Array;
  /** offset of bytes[0] in the file (decompressed stream) */
  base: number;
  decompressed: boolean;
  /** 1-based line number of the block's first line when known */
  firstLine?: number;
}

async function linesBefore(file: string, end: number): Promise<number | undefined> {
  let n = 0;
  try {
    const fh = await open(file, 'r');
    try {
      const chunk = new Uint8Array(1 << 20);
      for (let off = 0; off < end;) {
        const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, end - off), off);
        if (bytesRead === 0) break;
        const got = chunk.subarray(0, bytesRead);
        for (let i = got.indexOf(LF); i >= 0; i = got.indexOf(LF, i + 1)) n++;
        off += bytesRead;
      }
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  return n;
}

/** Offset within `bytes` of the start of line `index`. */
function lineStart(bytes: Uint8Array, index: number): number {
  let at = 0;
  for (let k = 0; k < index; k++) {
    const lf = bytes.indexOf(LF, at);
    if (lf < 0) return bytes.length;
    at = lf + 1;
  }
  return at;
}

/**
 * The first ~80 characters of a line, for messages.
 * @example snippet('{"a": 1, ') // '{"a": 1,'
 */
export function snippet(text: string): string {
  const t = text.trim();
  return t.length > SNIPPET ? `${t.slice(0, SNIPPET)}...` : t;
}

/**
 * A value for a message: its JSON text, shortened.
 * @example showValue('x') // '"x"'
 */
export function showValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > SNIPPET ? `${s.slice(0, SNIPPET)}...` : s;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? 'a boolean' : typeof v);

/**
 * The issue for a line that is valid JSON but not an object.
 * @example throw notObject(3, '[1, 2]', [1, 2])
 */
export function notObject(lineIndex: number, text: string, v: unknown): JsonIssue {
  return new JsonIssue('notObject', lineIndex, text, `is not a JSON object (got ${kindOf(v)}); readJson reads JSON lines: one object per line`);
}

/**
 * Converts an issue into the ParseError users see.
 * @example throw await toParseError(issue, { file, bytes, base, decompressed: false })
 */
export async function toParseError(issue: JsonIssue, p: BlockPlace): Promise<ParseError> {
  const first = p.firstLine ?? (p.base === 0 || p.decompressed ? 1 : await linesBefore(p.file, p.base).then((n) => (n === undefined ? undefined : n + 1)));
  const line = first === undefined ? undefined : first + issue.lineIndex;
  const offset = p.base + lineStart(p.bytes, issue.lineIndex);
  const where = `${line !== undefined ? `line ${line} of ` : ''}${p.file} (${p.decompressed ? 'decompressed ' : ''}byte offset ${offset})`;
  let msg: string;
  if (issue.kind === 'type') {
    const hint = typeof issue.value === 'number' && issue.expected !== 'float64' ? 'float64' : 'utf8';
    msg = `value ${showValue(issue.value)} in column "${issue.column}" at ${where} is not a valid ${issue.expected}; ` +
      `declare the column's type with readJson(path, { schema: { ${JSON.stringify(issue.column)}: '${hint}' } })`;
  } else if (issue.kind === 'notObject') {
    msg = `${where} ${issue.detail}: ${snippet(issue.text)}`;
  } else {
    msg = `malformed JSON at ${where}: ${issue.detail}: ${snippet(issue.text)}`;
  }
  return new ParseError(msg, { file: p.file, line, offset, column: issue.column }, { cause: issue });
}
