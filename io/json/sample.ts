/**
 * The first non-blank lines of a file (decompressed), for schema inference. Reading stops
 * as soon as enough lines are in, so describing a large or compressed source costs about
 * the sample, not the file.
 */
import { decompressedChunks, type Compression } from '../compress.js';
import { lineTooLong } from '../text/limit.js';

const LF = 10;

/**
 * One sampled line with where it is, for error messages.
 * @example const [first]: SampleLine[] = await sampleLines(path, 'none', 1, 1 << 20);
 */
export interface SampleLine {
  text: string;
  /** 0-based index of the line in the file */
  index: number;
  /** byte offset of the line in the file (decompressed stream) */
  offset: number;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const isBlank = (s: string) => s.trim() === '';

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Up to `maxLines` non-blank lines from the start of `path`, with a UTF-8 byte order mark
 * at the start dropped and invalid UTF-8 replaced by U+FFFD.
 * @throws IOError for an unreadable file; ParseError for corrupt compressed data;
 *   ResourceError for a line longer than `maxLineBytes`.
 * @example const lines = await sampleLines('events.jsonl', 'none', 1000, 64 << 20)
 */
export async function sampleLines(path: string, compression: Compression, maxLines: number, maxLineBytes: number): Promise<SampleLine[]> {
  const out: SampleLine[] = [];
  // the line in progress, in pieces, so a long line costs one copy
  let pending: Uint8Array[] = [];
  let pendingBytes = 0, lineOffset = 0, index = 0, consumed = 0;
  const emit = (bytes: Uint8Array) => {
    let s = bytes;
    if (lineOffset === 0 && s.length >= 3 && s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf) s = s.subarray(3);
    if (s.length > maxLineBytes) throw lineTooLong(path, lineOffset, maxLineBytes, 'readJson', compression !== 'none');
    const text = decoder.decode(s);
    if (!isBlank(text)) out.push({ text, index, offset: lineOffset });
    index++;
  };
  for await (const chunk of decompressedChunks(path, compression)) {
    let s = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0 && out.length < maxLines; lf = chunk.indexOf(LF, s)) {
      pending.push(chunk.subarray(s, lf));
      emit(concat(pending, pendingBytes + lf - s));
      consumed += pendingBytes + lf - s + 1;
      pending = []; pendingBytes = 0; lineOffset = consumed;
      s = lf + 1;
    }
    if (out.length >= maxLines) return out;
    // copied: the decoder may reuse its chunk buffers
    pending.push(chunk.slice(s));
    pendingBytes += chunk.length - s;
    if (pendingBytes > maxLineBytes) throw lineTooLong(path, lineOffset, maxLineBytes, 'readJson', compression !== 'none');
  }
  if (pendingBytes > 0) emit(concat(pending, pendingBytes));
  return out;
}
