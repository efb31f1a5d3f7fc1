/**
 * CSV output: streamed batch by batch through a ~1 MiB byte buffer into a temporary file
 * that is renamed into place on close (see sink.ts).
 *
 * The text is chosen so Tessera's reader and DuckDB read back the same values: nulls are
 * empty fields and empty strings are `""` (the reader only treats unquoted empty fields as
 * null), floats use JS's shortest round-trip form, dates are `YYYY-MM-DD`, timestamps
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC), booleans `true` / `false`.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IOError, PlanError, SchemaError } from '../../core/errors.js';
import type { Batch, Column, DType, Schema } from '../../core/types.js';
import type { Sink } from './sink.js';

/** Options of {@link openCsvSink}. */
export interface CsvSinkOptions {
  /** field delimiter, one ASCII character (default ',') */
  delimiter?: string;
  /** write a header row with the column names (default true) */
  header?: boolean;
}

const FLUSH_AT = 1 << 20;
const QUOTE = 34, LF = 10, CR = 13;

/** A growable byte buffer flushed to the file whenever it passes FLUSH_AT. */
class ByteOut {
  buf = new Uint8Array(FLUSH_AT + 4096);
  n = 0;
  ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  ascii(s: string): void {
    this.ensure(s.length);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
  }
  /** A 32-bit integer in decimal, without building a string. */
  int(v: number): void {
    this.ensure(11);
    const b = this.buf;
    if (v < 0) { b[this.n++] = 45; v = -v; }
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
    let n = this.n + digits;
    this.n = n;
    do { b[--n] = 48 + (v % 10); v = Math.floor(v / 10); } while (v > 0);
  }
  byte(c: number): void {
    if (this.n === this.buf.length) this.ensure(1);
    this.buf[this.n++] = c;
  }
}

const pad2 = (v: number) => (v < 10 ? '0' : '') + v;

/**
 * `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian).
 * @example formatDate(19724) // '2024-01-02'
 */
export function formatDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

/**
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` of microseconds since the epoch (UTC).
 * @example formatTimestamp(1500000) // '1970-01-01 00:00:01.500000'
 */
export function formatTimestamp(micros: number): string {
  const us = Math.floor(micros);
  const days = Math.floor(us / 86400e6);
  let rest = us - days * 86400e6;
  const frac = rest % 1e6;
  rest = (rest - frac) / 1e6;
  const s = rest % 60, mi = ((rest - s) / 60) % 60, h = Math.floor(rest / 3600);
  const base = `${formatDate(days)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  return frac === 0 ? base : `${base}.${String(frac).padStart(6, '0')}`;
}

/** Shortest text that reads back as the same double (JS keeps the sign of -0 only if asked). */
function formatNumber(v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : String(v);
}

function writeUtf8(out: ByteOut, c: Column, r: number, delim: number): void {
  const off = c.offsets!, vals = c.values as Uint8Array;
  const s = off[r], e = off[r + 1];
  let special = s === e;
  for (let i = s; i < e && !special; i++) {
    const b = vals[i];
    special = b === delim || b === QUOTE || b === LF || b === CR;
  }
  if (!special) {
    out.ensure(e - s);
    if (e - s < 32) {
      const b = out.buf;
      let n = out.n;
      for (let i = s; i < e; i++) b[n++] = vals[i];
      out.n = n;
    } else {
      out.buf.set(vals.subarray(s, e), out.n);
      out.n += e - s;
    }
    return;
  }
  out.ensure(2 * (e - s) + 2);
  const b = out.buf;
  let n = out.n;
  b[n++] = QUOTE;
  for (let i = s; i < e; i++) {
    const x = vals[i];
    b[n++] = x;
    if (x === QUOTE) b[n++] = QUOTE;
  }
  b[n++] = QUOTE;
  out.n = n;
}

function writeValue(out: ByteOut, c: Column, type: DType, r: number, delim: number): void {
  if (c.valid !== undefined && c.valid[r] === 0) return;
  switch (type) {
    case 'utf8': writeUtf8(out, c, r, delim); return;
    case 'bool': out.ascii(c.values[r] !== 0 ? 'true' : 'false'); return;
    case 'date': out.ascii(formatDate(c.values[r])); return;
    case 'timestamp': out.ascii(formatTimestamp(c.values[r])); return;
    default: {
      const v = c.values[r];
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) out.int(v);
      else out.ascii(formatNumber(v));
    }
  }
}

function quoteName(name: string, delim: string): string {
  return /[",\r\n]/.test(name) || name.includes(delim) || name === '' ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * Opens a streaming, atomic CSV sink for rows of `schema`.
 * @throws IOError naming the path when the temporary file cannot be created (e.g. the
 *   directory does not exist); nothing is left behind then.
 * @example const s = await openCsvSink('out.csv', { a: 'int64', s: 'utf8' }); await s.write(batch); await s.close();
 */
export async function openCsvSink(path: string, schema: Schema, opts: CsvSinkOptions & Record<string, unknown> = {}): Promise<Sink> {
  const delimiter = opts.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new PlanError(`writeCsv: delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const delim = delimiter.charCodeAt(0);
  const names = Object.keys(schema);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? `directory ${dirname(path)} does not exist` : (e as Error).message;
    throw new IOError(`cannot write ${path}: ${why}`, path, { cause: e });
  }
  const out = new ByteOut();
  let state: 'open' | 'closed' | 'aborted' = 'open';

  const flush = async () => {
    let done = 0;
    while (done < out.n) {
      const { bytesWritten } = await fh!.write(out.buf, done, out.n - done);
      done += bytesWritten;
    }
    out.n = 0;
  };
  const guard = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try { return await f(); } catch (e) {
      if (e instanceof IOError || e instanceof SchemaError || e instanceof PlanError) throw e;
      throw new IOError(`cannot write ${path}: ${(e as Error).message} (${what})`, path, { cause: e });
    }
  };

  if (opts.header !== false) {
    const enc = new TextEncoder();
    const line = enc.encode(names.map((n) => quoteName(n, delimiter)).join(delimiter) + '\n');
    out.ensure(line.length); out.buf.set(line, out.n); out.n += line.length;
  }

  return {
    async write(batch: Batch): Promise<void> {
      if (state !== 'open') throw new IOError(`cannot write ${path}: the sink is ${state}`, path);
      const cols = names.map((n) => {
        const c = batch.columns[n];
        if (!c) throw new SchemaError(`writeCsv: batch has no column "${n}"; it has ${Object.keys(batch.columns).map((k) => JSON.stringify(k)).join(', ')}`);
        return c;
      });
      const types = names.map((n) => schema[n]);
      const last = cols.length - 1;
      for (let r = 0; r < batch.length; r++) {
        for (let j = 0; j <= last; j++) {
          writeValue(out, cols[j], types[j], r, delim);
          out.byte(j === last ? LF : delim);
        }
        if (out.n >= FLUSH_AT) await guard('write', flush);
      }
    },
    async close(): Promise<void> {
      if (state !== 'open') throw new IOError(`cannot close ${path}: the sink is ${state}`, path);
      state = 'closed';
      try {
        await guard('write', flush);
        await guard('close', () => fh!.close());
        await guard('rename', () => rename(tmp, path));
      } catch (e) {
        await fh!.close().catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
    },
    async abort(): Promise<void> {
      if (state === 'aborted') return;
      const wasOpen = state === 'open';
      state = 'aborted';
      if (wasOpen) await fh!.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    },
  };
}
