/**
 * The raw bytes of a partition of a line-oriented source (text or JSON lines): whole lines
 * from an uncompressed byte range, or the whole decompressed file for `.gz` / `.zst` input
 * (compressed streams cannot be entered in the middle, so such a file is one partition).
 */
import { detectCompression, readDecompressed } from '../compress.js';
import type { Partition, ReadStats, SourceSpec } from '../source.js';
import { checkLineLengths } from './limit.js';
import { resolveLineOptions } from './options.js';
import { readLineRange, type Alloc } from './range.js';
import { countInvalidUtf8 } from './utf8.js';

/**
 * A partition's whole lines and where they sit in their file.
 * @example const block: TextBlock = await loadTextBlock(spec, part);
 */
export interface TextBlock {
  file: string;
  /** whole lines; the last may lack its line feed (end of file) */
  bytes: Uint8Array;
  /** offset of bytes[0] in the file (in the decompressed stream when `decompressed`) */
  base: number;
  decompressed: boolean;
}

/**
 * The public function name a source's errors point users to.
 * @example apiName({ format: 'json', paths: [], options: {} }) // 'readJson'
 */
export const apiName = (spec: SourceSpec): string => (spec.format === 'json' ? 'readJson' : 'readText');

function stripBom(bytes: Uint8Array, base: number): { bytes: Uint8Array; base: number } {
  if (base === 0 && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { bytes: bytes.subarray(3), base: 3 };
  return { bytes, base };
}

/**
 * Loads the lines partition `part` owns, with a UTF-8 byte order mark at the start of the
 * file dropped. Bytes are returned as read: invalid UTF-8 is left for the caller.
 * @throws IOError for a missing or unreadable file; ParseError for corrupt compressed data;
 *   ResourceError for a line longer than `maxLineBytes`.
 * @example const { bytes, base } = await loadTextBlock(spec, info.partitions[1])
 */
export async function loadTextBlock(spec: SourceSpec, part: Partition, alloc?: Alloc): Promise<TextBlock> {
  const o = resolveLineOptions(spec.options);
  const api = apiName(spec);
  const file = part.path;
  const decompressed = detectCompression(file, o.compression) !== 'none';
  let got: { bytes: Uint8Array; base: number };
  if (decompressed) got = { bytes: await readDecompressed(file, detectCompression(file, o.compression)), base: 0 };
  else got = await readLineRange(file, part.start ?? 0, part.end ?? 0, o.maxLineBytes, api, alloc);
  const { bytes, base } = stripBom(got.bytes, got.base);
  checkLineLengths(bytes, base, o.maxLineBytes, file, api, decompressed);
  return { file, bytes, base, decompressed };
}

/**
 * The raw bytes of exactly the whole lines of a text partition, decompressed. The block may
 * end with or without a final line feed, keeps `\r\n` line ends as they are, and leaves
 * invalid UTF-8 in place (read into `alloc`'s buffer, see {@link Alloc}); when `stats` is given, the invalid sequences are counted into
 * `stats.invalidUtf8` (as many as a decoder would replace), so callers that work on the
 * bytes directly still report them.
 * @throws IOError, ParseError (corrupt compressed data) or ResourceError (line over `maxLineBytes`).
 * @example const bytes = await readTextBlock(spec, info.partitions[0], stats)
 */
export async function readTextBlock(spec: SourceSpec, part: Partition, stats?: ReadStats, alloc?: Alloc): Promise<Uint8Array> {
  const { bytes } = await loadTextBlock(spec, part, alloc);
  if (stats) stats.invalidUtf8 += countInvalidUtf8(bytes);
  return bytes;
}
