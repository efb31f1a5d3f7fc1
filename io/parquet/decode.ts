/**
 * Decoding one column chunk (all pages of one column in one row group) into an internal
 * column, directly into typed arrays.
 *
 * hyparquet's own page reader builds JS arrays and strings per value; here only its page
 * header parser (and, in ./values.ts, its rarer decoders) are reused, while the common paths
 * (PLAIN, dictionary indices, definition levels) write straight into the output arrays:
 * strings stay UTF-8 bytes and 64-bit integers are converted from their 32-bit halves
 * without BigInt.
 */
import type { CompressionCodec, PageHeader } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { allocValues, type Column, type NumericArray } from '../../core/types.js';
import { decompress } from './codecs.js';
import { decodeIndices } from './hybrid-wasm.js';
import { allOnes, readBits } from './rle.js';
import type { Leaf } from './schema.js';
import { isUtf8, need, readEncoded, readPlain, type Dense } from './values.js';

/** Thrown for malformed pages; the caller adds file, column and offset. */
export class PageError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

// ---------------------------------------------------------------------------------------
// output

// Hot loops live in small single-purpose functions: one function serving strings and
// numbers, or nulls and no nulls, gets optimized for the first case it meets and
// deoptimized by the next, which measured as a several-fold slower first pass.

function gatherFixed(out: NumericArray, row: number, dict: NumericArray, idx: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[row + i] = dict[idx[i]];
}

function gatherFixedNulls(out: NumericArray, row: number, dict: NumericArray, idx: Int32Array, valid: Uint8Array, nv: number): void {
  let k = 0;
  for (let i = 0; i < nv; i++) if (valid[row + i]) out[row + i] = dict[idx[k++]];
}

function placeFixedNulls(out: NumericArray, row: number, d: NumericArray, valid: Uint8Array, nv: number): void {
  let k = 0;
  for (let i = 0; i < nv; i++) if (valid[row + i]) out[row + i] = d[k++];
}

function bytesOfIndices(off: Int32Array, idx: Int32Array, n: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) { const j = idx[k]; total += off[j + 1] - off[j]; }
  return total;
}

/** Copies dictionary strings idx[0..nv) to out at byte o; returns the end offset. */
function gatherUtf8(out: Uint8Array, o: number, offsets: Int32Array, row: number, off: Int32Array, src: Uint8Array, idx: Int32Array, nv: number): number {
  for (let i = 0; i < nv; i++) {
    const j = idx[i], s = off[j], e = off[j + 1];
    if (e - s < 16) for (let q = s; q < e; q++) out[o++] = src[q];
    else { out.set(src.subarray(s, e), o); o += e - s; }
    offsets[row + i + 1] = o;
  }
  return o;
}

function gatherUtf8Nulls(out: Uint8Array, o: number, offsets: Int32Array, row: number, off: Int32Array, src: Uint8Array, idx: Int32Array, valid: Uint8Array, nv: number): number {
  let k = 0;
  for (let i = 0; i < nv; i++) {
    if (valid[row + i]) {
      const j = idx[k++], s = off[j], e = off[j + 1];
      if (e - s < 16) for (let q = s; q < e; q++) out[o++] = src[q];
      else { out.set(src.subarray(s, e), o); o += e - s; }
    }
    offsets[row + i + 1] = o;
  }
  return o;
}

/** Dictionary codes for rows with nulls: null rows get code 0. */
function spreadCodes(codes: Int32Array, row: number, idx: Int32Array, valid: Uint8Array, nv: number): void {
  let k = 0;
  for (let i = 0; i < nv; i++) codes[row + i] = valid[row + i] ? idx[k++] : 0;
}

/** Gathers rows [0, n) from per-row codes, leaving null rows empty. */
function gatherUtf8Rows(out: Uint8Array, offsets: Int32Array, off: Int32Array, src: Uint8Array, codes: Int32Array, valid: Uint8Array, n: number): number {
  let o = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) { const j = codes[i]; for (let q = off[j]; q < off[j + 1]; q++) out[o++] = src[q]; }
    offsets[i + 1] = o;
  }
  return o;
}

function shiftOffsets(offsets: Int32Array, row: number, src: Int32Array, base: number, nv: number): void {
  for (let i = 1; i <= nv; i++) offsets[row + i] = base + src[i];
}

function shiftOffsetsNulls(offsets: Int32Array, row: number, src: Int32Array, base: number, valid: Uint8Array, nv: number): void {
  let k = 0;
  for (let i = 0; i < nv; i++) {
    k += valid[row + i];
    offsets[row + i + 1] = base + src[k];
  }
}

/** Accumulates the pages of one column chunk. */
class ChunkBuilder {
  values?: NumericArray;
  offsets?: Int32Array;
  bytes = new Uint8Array(0);
  byteLen = 0;
  /** allocated at the first null: most optional columns have none */
  valid?: Uint8Array;
  nulls = 0;
  row = 0;
  /** dictionary mode (columns the caller takes encoded): codes per row into `dict`, no values gathered */
  codes?: Int32Array;
  dict?: Dense;

  constructor(readonly leaf: Leaf, readonly rows: number, private readonly byteHint: number, keepDictionary: boolean, ints?: (n: number) => Int32Array) {
    if (keepDictionary) {
      // every row's code gets written (0 for a null), so a reused array needs no clearing
      this.codes = ints ? ints(rows) : new Int32Array(rows);
    } else if (leaf.dtype === 'utf8') {
      this.offsets = new Int32Array(rows + 1);
      this.bytes = new Uint8Array(Math.max(1024, byteHint));
    }
  }

  /** The fixed-width value array, allocated on first use (see {@link adopt}). */
  private fixed(): NumericArray {
    return this.values ??= allocValues(this.leaf.dtype, this.rows);
  }

  /**
   * Takes a page's decoded values as the chunk's value array when that page holds every row
   * of the chunk (the usual single-page chunk), saving an allocation and a copy of the
   * column. Only arrays of the column's own type that do not pin a much larger buffer; and
   * only large ones, as small zlib outputs can be slices of Node's shared Buffer pool.
   */
  private adopt(d: NumericArray, nv: number): boolean {
    if (this.values || this.row !== 0 || nv !== this.rows || d.length !== nv) return false;
    if (d.byteLength < 1 << 16 || d.buffer.byteLength > d.byteLength * 1.25 + 4096) return false;
    const want = allocValues(this.leaf.dtype, 0);
    if (d.constructor !== want.constructor) return false;
    this.values = d;
    return true;
  }

  /**
   * Reads the definition levels of the next `nv` rows from buf[pos, end); returns how many
   * are non-null. Levels that are one run of 1s are not materialised.
   */
  levels(buf: Uint8Array, pos: number, end: number, nv: number): number {
    if (nv === 0) return 0;
    const row = this.row;
    if (allOnes(buf, pos, end, nv)) {
      this.valid?.fill(1, row, row + nv);
      return nv;
    }
    if (!this.valid) {
      this.valid = new Uint8Array(this.rows);
      this.valid.fill(1, 0, row);
    }
    const nn = readBits(buf, pos, end, this.valid, row, nv);
    this.nulls += nv - nn;
    return nn;
  }

  /** The per-row codes array when indices of the dictionary `dict` can be decoded straight into it. */
  codesFor(dict: Dense): Int32Array | undefined {
    return this.codes && this.dict === dict ? this.codes : undefined;
  }

  /** Counts `nv` rows written directly into {@link codesFor}. */
  advance(nv: number): void {
    this.row += nv;
  }

  private reserve(extra: number): void {
    const want = this.byteLen + extra;
    if (want <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(want, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.byteLen));
    this.bytes = next;
  }

  /**
   * Leaves dictionary mode: gathers the rows decoded so far into plain bytes (a chunk whose
   * writer fell back from dictionary to plain pages, or a second dictionary).
   */
  private toPlain(): void {
    const codes = this.codes!, dict = this.dict, done = this.row;
    this.codes = undefined; this.dict = undefined;
    if (this.leaf.dtype !== 'utf8') {
      // null rows hold code 0: what they gather is never read
      if (dict && done > 0 && denseLength(dict) > 0) gatherFixed(this.fixed(), 0, dict as NumericArray, codes, done);
      return;
    }
    this.offsets = new Int32Array(this.rows + 1);
    this.bytes = new Uint8Array(Math.max(1024, this.byteHint));
    if (!dict || done === 0) return;
    const d = dict as Extract<Dense, { offsets: Int32Array }>;
    this.reserve(bytesOfIndices(d.offsets, codes, done));
    this.byteLen = this.valid
      ? gatherUtf8Rows(this.bytes, this.offsets, d.offsets, d.bytes, codes, this.valid, done)
      : gatherUtf8(this.bytes, 0, this.offsets, 0, d.offsets, d.bytes, codes, done);
  }

  /** Records the chunk's dictionary; true when pages can keep coding into it. */
  setDictionary(dict: Dense): void {
    if (this.codes && this.dict) this.toPlain();
    if (this.codes) this.dict = dict;
  }

  /** Places dense values at rows [row, row+nv), skipping rows that are null. */
  place(d: Dense, nv: number, nn: number): void {
    if (this.codes) this.toPlain();
    if (isUtf8(d)) {
      const total = d.offsets[nn];
      this.reserve(total);
      const base = this.byteLen;
      this.bytes.set(d.bytes.subarray(0, total), base);
      if (nn === nv) shiftOffsets(this.offsets!, this.row, d.offsets, base, nv);
      else shiftOffsetsNulls(this.offsets!, this.row, d.offsets, base, this.valid!, nv);
      this.byteLen += total;
    } else if (nn === nv) {
      if (!this.adopt(d, nv)) this.fixed().set(d.subarray(0, nv), this.row);
    } else {
      placeFixedNulls(this.fixed(), this.row, d, this.valid!, nv);
    }
    this.row += nv;
  }

  /** Places dictionary entries `idx[0..nn)` at rows [row, row+nv). */
  gather(dict: Dense, idx: Int32Array, nv: number, nn: number): void {
    if (this.codes && this.dict === dict) {
      if (nn === nv) this.codes.set(idx.subarray(0, nv), this.row);
      else spreadCodes(this.codes, this.row, idx, this.valid!, nv);
      this.row += nv;
      return;
    }
    if (this.codes) this.toPlain();
    if (isUtf8(dict)) {
      this.reserve(bytesOfIndices(dict.offsets, idx, nn));
      this.byteLen = nn === nv
        ? gatherUtf8(this.bytes, this.byteLen, this.offsets!, this.row, dict.offsets, dict.bytes, idx, nv)
        : gatherUtf8Nulls(this.bytes, this.byteLen, this.offsets!, this.row, dict.offsets, dict.bytes, idx, this.valid!, nv);
    } else if (nn === nv) {
      gatherFixed(this.fixed(), this.row, dict, idx, nv);
    } else {
      gatherFixedNulls(this.fixed(), this.row, dict, idx, this.valid!, nv);
    }
    this.row += nv;
  }

  finish(): Column {
    const n = this.rows;
    const nulls = this.nulls;
    const valid = nulls > 0 ? this.valid : undefined;
    if (this.codes && this.leaf.dtype !== 'utf8') {
      const d = (this.dict ?? allocValues(this.leaf.dtype, 0)) as NumericArray;
      const dictionary: Column = { type: this.leaf.dtype, length: d.length, values: d.slice(), nullCount: 0 };
      return { type: this.leaf.dtype, length: n, values: this.codes, dictionary, valid, nullCount: nulls };
    }
    if (this.codes) {
      const d = (this.dict ?? { offsets: new Int32Array(1), bytes: new Uint8Array(0) }) as Extract<Dense, { offsets: Int32Array }>;
      const m = d.offsets.length - 1;
      const dictionary: Column = { type: 'utf8', length: m, values: d.bytes.slice(0, d.offsets[m]), offsets: d.offsets.slice(), nullCount: 0 };
      return { type: 'utf8', length: n, values: this.codes, dictionary, valid, nullCount: nulls };
    }
    if (this.leaf.dtype === 'utf8') {
      // hand back a buffer sized to the data: batches are transferred and accounted by buffer
      const values = this.bytes.length > this.byteLen * 1.25 + 4096 ? this.bytes.slice(0, this.byteLen) : this.bytes.subarray(0, this.byteLen);
      return { type: 'utf8', length: n, values, offsets: this.offsets, valid, nullCount: nulls };
    }
    return { type: this.leaf.dtype, length: n, values: this.fixed(), valid, nullCount: nulls };
  }
}

// ---------------------------------------------------------------------------------------
// pages

function denseLength(d: Dense): number {
  return isUtf8(d) ? d.offsets.length - 1 : d.length;
}

/**
 * Decodes a column chunk holding `rows` rows. `chunk` holds exactly the chunk's bytes;
 * errors are PageErrors carrying the offset inside the chunk.
 */
export function decodeChunk(chunk: Uint8Array, leaf: Leaf, codec: CompressionCodec, rows: number, byteHint: number, keepDictionary = false, ints?: (n: number) => Int32Array): Column {
  const out = new ChunkBuilder(leaf, rows, byteHint, keepDictionary, ints);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let dict: Dense | undefined;
  let dictLen = 0;
  let pos = 0;
  while (out.row < rows) {
    if (pos >= chunk.length) throw new PageError(`column chunk ends after ${out.row} of ${rows} rows`, pos);
    const pageStart = pos;
    try {
      const r = { view, offset: pos };
      let header: PageHeader;
      try { header = parquetHeader(r); } catch (e) { throw new Error(`unreadable page header (${(e as Error).message})`); }
      pos = r.offset;
      const size = header.compressed_page_size;
      if (!(size >= 0) || pos + size > chunk.length) throw new Error(`page of ${size} bytes runs past the end of the column chunk`);
      const raw = chunk.subarray(pos, pos + size);
      pos += size;
      if (header.type === 'DICTIONARY_PAGE') {
        const n = header.dictionary_page_header?.num_values ?? 0;
        const page = decompress(codec, raw, header.uncompressed_page_size);
        dict = readPlain(page, 0, page.length, n, leaf);
        dictLen = denseLength(dict);
        out.setDictionary(dict);
        continue;
      }
      if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue;

      let page: Uint8Array, p: number, encoding: string, nv: number, nn = -1;
      const row = out.row;
      if (header.type === 'DATA_PAGE') {
        const h = header.data_page_header;
        if (!h) throw new Error('data page without a data page header');
        nv = h.num_values;
        encoding = h.encoding;
        page = decompress(codec, raw, header.uncompressed_page_size);
        p = 0;
        checkRows(nv, row, rows);
        if (leaf.optional) {
          need(p, 4, page.length);
          const len = view32(page, p);
          need(p + 4, len, page.length);
          nn = out.levels(page, p + 4, p + 4 + len, nv);
          p += 4 + len;
        }
      } else {
        const h = header.data_page_header_v2;
        if (!h) throw new Error('data page v2 without its header');
        nv = h.num_rows;
        encoding = h.encoding;
        checkRows(nv, row, rows);
        const levels = h.repetition_levels_byte_length + h.definition_levels_byte_length;
        if (levels > raw.length) throw new Error('page levels run past the end of the page');
        if (leaf.optional) {
          const s = h.repetition_levels_byte_length;
          nn = out.levels(raw, s, s + h.definition_levels_byte_length, nv);
        }
        const body = raw.subarray(levels);
        page = h.is_compressed === false ? body : decompress(codec, body, header.uncompressed_page_size - levels);
        p = 0;
      }
      if (nn < 0) nn = nv;

      if (encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') {
        if (!dict) throw new Error('dictionary-encoded page without a dictionary page');
        const codes = nn === nv ? out.codesFor(dict) : undefined;
        if (nn > 0) need(p, 1, page.length);
        if (codes) {
          if (nn > 0) decodeIndices(page, p + 1, page.length, page[p], codes, row, nn, dictLen);
          out.advance(nv);
          continue;
        }
        if (idx.length < nn) idx = new Int32Array(Math.max(nn, idx.length * 2));
        if (nn > 0) decodeIndices(page, p + 1, page.length, page[p], idx, 0, nn, dictLen);
        out.gather(dict, idx, nv, nn);
      } else {
        out.place(readEncoded(encoding, page, p, page.length, nn, leaf), nv, nn);
      }
    } catch (e) {
      if (e instanceof PageError) throw e;
      throw new PageError((e as Error).message, pageStart);
    }
  }
  return out.finish();
}

/**
 * Scratch for the dictionary indices of a page, kept per thread: a fresh array per column
 * chunk is megabytes of garbage per row group.
 */
let idx = new Int32Array(0);

function view32(b: Uint8Array, p: number): number {
  return (b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24) >>> 0;
}

function checkRows(nv: number, row: number, rows: number): void {
  if (!(nv >= 0) || row + nv > rows) throw new Error(`page holds ${nv} values after row ${row}, past the ${rows} rows of the row group`);
}
