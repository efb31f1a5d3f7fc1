/**
 * The line-length limit of line-oriented sources. A line longer than the limit is an error
 * rather than an unbounded allocation: a file without line feeds (a binary file, a minified
 * JSON document) would otherwise be read whole into one partition.
 */
import { ResourceError } from '../../core/errors.js';
import { asBuffer } from './bytes.js';

const LF = 10;

const mib = (n: number) => (n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(2)} MiB` : `${n} bytes`);

/**
 * The error for a line over the limit, naming the file, where the line starts, the limit
 * and the option that raises it.
 * @example throw lineTooLong('a.txt', 1024, 65536, 'readText', false)
 */
export function lineTooLong(file: string, offset: number, limit: number, api: string, decompressed: boolean): ResourceError {
  return new ResourceError(
    `${file}: the line starting at ${decompressed ? 'decompressed ' : ''}byte offset ${offset} is longer than maxLineBytes ` +
    `(${mib(limit)}); raise the limit with ${api}(path, { maxLineBytes: ... }) if the file really has such lines`,
  );
}

/**
 * Throws {@link lineTooLong} for the first line of `bytes` (whole lines starting at file
 * offset `base`) longer than `limit` bytes, not counting its line feed. A block no longer
 * than the limit cannot hold such a line, so the scan is skipped then.
 * @example checkLineLengths(bytes, 0, 64 << 20, 'big.txt', 'readText', false)
 */
export function checkLineLengths(bytes: Uint8Array, base: number, limit: number, file: string, api: string, decompressed: boolean): void {
  if (bytes.length <= limit) return;
  const b = asBuffer(bytes);
  let s = 0;
  for (;;) {
    const lf = b.indexOf(LF, s);
    const e = lf < 0 ? bytes.length : lf;
    if (e - s > limit) throw lineTooLong(file, base + s, limit, api, decompressed);
    if (lf < 0) return;
    s = lf + 1;
  }
}
