/**
 * Splitting a block of whole lines into the `line` column (or JS strings). A line ends at
 * `\n`; a `\r` right before it is dropped; a last line without `\n` is still a line.
 */
import { ResourceError } from '../../core/errors.js';
import type { Column } from '../../core/types.js';
import type { Partition, ReadStats, SourceSpec } from '../source.js';
import { loadTextBlock } from './block.js';
import { asBuffer } from './bytes.js';
import { repairUtf8 } from './utf8.js';

const LF = 10;
const CR = 13;
/** utf8 offsets are Int32 */
const MAX_COLUMN_BYTES = 0x7fffffff;

/**
 * Number of lines in a block of whole lines.
 * @example countLines(Buffer.from('a\nb')) // 2
 */
export function countLines(bytes: Uint8Array): number {
  const n = bytes.length;
  if (n === 0) return 0;
  const b = asBuffer(bytes);
  let lines = 0;
  for (let i = b.indexOf(LF); i >= 0; i = b.indexOf(LF, i + 1)) lines++;
  return bytes[n - 1] === LF ? lines : lines + 1;
}

/**
 * The lines of `bytes` (valid UTF-8, whole lines) as a utf8 column. The line bytes are moved
 * down in place over the dropped line breaks, so `bytes` is consumed: the column's values
 * share its buffer.
 * @example linesColumn(Buffer.from('a\r\n\nbc')) // 3 rows: 'a', '', 'bc'
 */
export function linesColumn(bytes: Uint8Array): Column {
  const len = bytes.length;
  if (len > MAX_COLUMN_BYTES) throw new ResourceError(`a text block of ${len} bytes does not fit one utf8 column (at most 2 GiB); use a smaller blocksize, or split a compressed file`);
  const n = countLines(bytes);
  const offsets = new Int32Array(n + 1);
  const b = asBuffer(bytes);
  let o = 0, i = 0, row = 0;
  while (i < len) {
    let lf = b.indexOf(LF, i);
    if (lf < 0) lf = len;
    const e = lf < len && lf > i && bytes[lf - 1] === CR ? lf - 1 : lf;
    if (o !== i) bytes.copyWithin(o, i, e);
    o += e - i;
    offsets[++row] = o;
    i = lf + 1;
  }
  return { type: 'utf8', length: n, values: bytes.subarray(0, o), offsets, nullCount: 0 };
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The lines of `bytes` (valid UTF-8, whole lines) as JS strings.
 * @example splitLines(Buffer.from('a\r\nb\n')) // ['a', 'b']
 */
export function splitLines(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  const lines = decoder.decode(bytes).split('\n');
  if (bytes[bytes.length - 1] === LF) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    if (s.length && s.charCodeAt(s.length - 1) === CR && (i < lines.length - 1 || bytes[bytes.length - 1] === LF)) lines[i] = s.slice(0, -1);
  }
  return lines;
}

/**
 * The lines of a text partition as JS strings: `\r\n` and `\n` line ends removed, invalid
 * UTF-8 replaced by U+FFFD and counted into `stats.invalidUtf8` when `stats` is given.
 * @example const lines = await readTextLines(spec, info.partitions[0], stats)
 */
export async function readTextLines(spec: SourceSpec, part: Partition, stats?: ReadStats): Promise<string[]> {
  const { bytes: raw } = await loadTextBlock(spec, part);
  const { bytes, invalid } = repairUtf8(raw);
  if (stats) stats.invalidUtf8 += invalid;
  return splitLines(bytes);
}
