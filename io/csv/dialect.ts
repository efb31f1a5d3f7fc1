/**
 * The CSV dialect: user options resolved once into the byte values the tokenizer compares
 * against, so the hot loops never look at strings.
 */
import { PlanError } from '../../core/errors.js';
import type { CsvOptions } from '../source.js';
import type { CompressionOption } from '../compress.js';

/** Default partition size in bytes (API.md: `blocksize`, 16 MiB). */
export const DEFAULT_BLOCKSIZE = 16 * 1024 * 1024;

/** Resolved CSV options. */
export interface Dialect {
  header: boolean;
  /** delimiter byte */
  delim: number;
  /** quote byte, or -1 when quoting is off (`quote: ''`) */
  quote: number;
  /** null tokens as bytes; a quoted field is never null, so `""` stays an empty string */
  nulls: Uint8Array[];
  /** true when the only null token is the empty field (the default): a length check suffices */
  nullIsEmptyOnly: boolean;
  compression: CompressionOption;
  blocksize: number;
}

const enc = new TextEncoder();

function singleByte(name: string, v: string): number {
  const b = enc.encode(v);
  if (b.length !== 1) throw new PlanError(`readCsv: ${name} must be one single-byte (ASCII) character, got ${JSON.stringify(v)}`);
  if (b[0] === 10 || b[0] === 13) throw new PlanError(`readCsv: ${name} cannot be a line break`);
  return b[0];
}

/**
 * Resolves user CSV options (API.md `readCsv`) into a {@link Dialect}.
 * @throws PlanError on a delimiter or quote that is not one ASCII character, or equal ones.
 * @example resolveDialect({ delimiter: ';' }).delim // 59
 */
export function resolveDialect(o: CsvOptions = {}): Dialect {
  const delim = singleByte('delimiter', o.delimiter ?? ',');
  const quote = o.quote === '' ? -1 : singleByte('quote', o.quote ?? '"');
  if (quote === delim) throw new PlanError('readCsv: delimiter and quote must differ');
  const nullValues = o.nullValues ?? [''];
  const nulls = nullValues.map((s) => enc.encode(s));
  const bs = o.blocksize as unknown;
  const blocksize = typeof bs === 'number' && Number.isFinite(bs) && bs > 0 ? Math.floor(bs) : DEFAULT_BLOCKSIZE;
  return {
    header: o.header ?? true,
    delim,
    quote,
    nulls,
    nullIsEmptyOnly: nulls.length === 1 && nulls[0].length === 0,
    compression: o.compression ?? 'infer',
    blocksize: Math.max(1, blocksize),
  };
}

/**
 * True when bytes [s, e) of `buf` equal one of the null tokens (an unquoted field only).
 * @example isNullToken(resolveDialect({ nullValues: ['NA'] }), Buffer.from('NA'), 0, 2) // true
 */
export function isNullToken(d: Dialect, buf: Uint8Array, s: number, e: number): boolean {
  if (d.nullIsEmptyOnly) return s === e;
  const len = e - s;
  outer: for (const t of d.nulls) {
    if (t.length !== len) continue;
    for (let i = 0; i < len; i++) if (buf[s + i] !== t[i]) continue outer;
    return true;
  }
  return false;
}
