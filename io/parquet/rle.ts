/**
 * The RLE / bit-packed hybrid encoding of Parquet (definition levels, dictionary indices,
 * booleans), decoded straight into typed arrays.
 *
 * Every loop iteration consumes at least one input byte and positions are checked against
 * the end of the buffer, so corrupt input ends in an error, never in a loop that spins.
 *
 * Indices (Int32Array) and levels / booleans (Uint8Array) have separate decoders: one
 * function storing into both array types has polymorphic stores and measured about twice
 * as slow as either specialised copy.
 */

/** Position after the varint last read by {@link varint} (saves allocating a pair per run). */
let after = 0;

/** Reads an unsigned LEB128 varint at `pos`; the position after it is left in `after`. */
function varint(buf: Uint8Array, pos: number, end: number): number {
  let v = 0, shift = 0;
  for (;;) {
    if (pos >= end) throw new Error(`RLE header runs past the end of the data (offset ${pos})`);
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) { after = pos; return v; }
    shift += 7;
    if (shift > 35) throw new Error(`RLE header varint too long (offset ${pos})`);
  }
}

/** The repeated value of an RLE run: `byteWidth` little-endian bytes at `pos`. */
function runValue(buf: Uint8Array, pos: number, end: number, byteWidth: number): number {
  if (pos + byteWidth > end) throw new Error(`RLE run value runs past the end of the data (offset ${pos})`);
  let v = 0;
  for (let i = 0; i < byteWidth; i++) v += buf[pos + i] * 2 ** (8 * i);
  return v;
}

function outOfRange(v: number, limit: number): Error {
  return new Error(`dictionary index ${v} out of range (dictionary has ${limit} entries)`);
}

/**
 * Decodes `count` values of bit width `width` (0..32) from `buf[pos, end)` into
 * `out[outPos, outPos + count)`, and checks that every value is below `limit` (the
 * dictionary size for indices; values are read as unsigned). Returns the position after
 * the last run read.
 */
export function readHybrid(
  buf: Uint8Array, pos: number, end: number, width: number,
  out: Int32Array, outPos: number, count: number, limit = 2 ** 32,
): number {
  if (width > 32) throw new Error(`RLE bit width ${width} out of range`);
  if (width === 0) {
    if (count > 0 && limit < 1) throw outOfRange(0, limit);
    out.fill(0, outPos, outPos + count);
    return pos;
  }
  const stop = outPos + count;
  let o = outPos;
  const byteWidth = (width + 7) >> 3;
  // when every width-bit value is below the limit, the unpackers need not check
  const lim = limit >= 2 ** width ? 0x7fffffff : limit - 1;
  let dv: DataView | undefined;
  while (o < stop) {
    // a bit-packed run (the low bit of a header's first byte): it and the bit-packed runs
    // right after it are unpacked in one call
    if (width <= 25 && pos < end && (buf[pos] & 1) === 1) {
      dv ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const from = o, start = pos;
      pos = unpackRuns(buf, dv, pos, end, width, out, o, stop, lim);
      o = outAfter;
      if (badAfter < 0) throw outOfRange(maxOf(out, from, o), lim + 1);
      // else the run at `pos` ends too near the end of the data for 4-byte loads: below
      if (pos !== start) continue;
    }
    const header = varint(buf, pos, end);
    pos = after;
    if ((header & 1) === 0) {
      const v = runValue(buf, pos, end, byteWidth);
      pos += byteWidth;
      if (v >= limit) throw outOfRange(v, limit);
      const n = Math.min(Math.floor(header / 2), stop - o);
      out.fill(v, o, o + n);
      o += n;
    } else {
      const groups = Math.floor(header / 2);
      if (groups === 0) continue;
      const n = Math.min(groups * 8, stop - o);
      if (pos >= end) throw new Error(`bit-packed run runs past the end of the data (offset ${pos})`);
      const runEnd = Math.min(end, pos + groups * width);
      if (width <= 25) unpackTail(buf, pos, runEnd, width, out, o, 0, n, lim);
      else unpackWide(buf, pos, runEnd, width, out, o, n, limit);
      o += n;
      pos += groups * width;
    }
  }
  return pos;
}

/**
 * Output position after the last {@link unpackRuns}, and a negative number when a value was
 * above its limit (module fields rather than a returned object: nothing to allocate per call).
 */
let outAfter = 0;
let badAfter = 0;

/**
 * Unpacks the bit-packed runs (width <= 25) whose headers start at `pos`, one after another,
 * into `out` from `o`: stops before an RLE run's header, at `stop` values or at `end`.
 * Returns the position after the last run read and leaves the output position in
 * `outAfter`. DuckDB writes runs of 256 values: one call per run reached optimized code only
 * after thousands of calls (a first page of 1M values took ~10 ms against ~1.7 ms warm), one
 * call per page loops long enough to be optimized on stack within it.
 *
 * Groups of 8 values (`width` bytes each) are unpacked while a 4-byte load at each value's
 * first byte stays inside [pos, end): each value lies in the 32 bits starting at its first
 * byte (shift <= 7, width <= 25), and bits loaded from beyond its own (the next run's header)
 * are masked off. One unaligned little-endian DataView load per value, with per-width offsets
 * hoisted out of the loop, measured 2-3x faster than assembling each word from four byte
 * loads. A run at the very end of the data leaves its last values to {@link unpackTail}.
 * `lim` is the largest allowed value: `lim - v` goes negative for any value above it
 * (reported in `badAfter`, checked by the caller).
 */
function unpackRuns(buf: Uint8Array, dv: DataView, pos: number, end: number, width: number, out: Int32Array, o: number, stop: number, lim: number): number {
  const mask = (1 << width) - 1;
  const s1 = width, s2 = 2 * width, s3 = 3 * width, s4 = 4 * width, s5 = 5 * width, s6 = 6 * width, s7 = 7 * width;
  const b1 = s1 >> 3, b2 = s2 >> 3, b3 = s3 >> 3, b4 = s4 >> 3, b5 = s5 >> 3, b6 = s6 >> 3, b7 = s7 >> 3;
  const h1 = s1 & 7, h2 = s2 & 7, h3 = s3 & 7, h4 = s4 & 7, h5 = s5 & 7, h6 = s6 & 7, h7 = s7 & 7;
  let bad = 0;
  outAfter = o;
  badAfter = 0;
  // everything after the loop is `return`: V8 compiles this loop on stack before code after
  // it has run, and such code, without type feedback, deoptimized on every call
  while (o < stop && pos < end && (buf[pos] & 1) === 1) {
    const start = pos;
    let header = buf[pos++];
    if (header >= 0x80) { header = varint(buf, start, end); pos = after; }
    const groups = Math.floor(header / 2);
    const n = Math.min(groups * 8, stop - o), bytes = groups * width;
    // a run with values 4-byte loads cannot reach (or an empty or truncated one) is left to
    // the caller: taking it here would run code the compiled loop has no feedback for
    if (pos + bytes + 3 >= end || n < 8 || (n & 7) !== 0) { pos = start; break; }
    let p = pos, q = o;
    for (let g = n >> 3; g > 0; g--, p += width, q += 8) {
      const v0 = dv.getUint32(p, true) & mask;
      const v1 = (dv.getUint32(p + b1, true) >>> h1) & mask;
      const v2 = (dv.getUint32(p + b2, true) >>> h2) & mask;
      const v3 = (dv.getUint32(p + b3, true) >>> h3) & mask;
      const v4 = (dv.getUint32(p + b4, true) >>> h4) & mask;
      const v5 = (dv.getUint32(p + b5, true) >>> h5) & mask;
      const v6 = (dv.getUint32(p + b6, true) >>> h6) & mask;
      const v7 = (dv.getUint32(p + b7, true) >>> h7) & mask;
      out[q] = v0; out[q + 1] = v1; out[q + 2] = v2; out[q + 3] = v3;
      out[q + 4] = v4; out[q + 5] = v5; out[q + 6] = v6; out[q + 7] = v7;
      bad |= (lim - v0) | (lim - v1) | (lim - v2) | (lim - v3) | (lim - v4) | (lim - v5) | (lim - v6) | (lim - v7);
    }
    o += n;
    pos += bytes;
    outAfter = o;
    badAfter = bad;
  }
  return pos;
}

/** Values [from, n) of a bit-packed run, bytes at or past `end` read as zero (width <= 25). */
function unpackTail(buf: Uint8Array, pos: number, end: number, width: number, out: Int32Array, o: number, from: number, n: number, lim: number): void {
  const mask = (1 << width) - 1;
  let bad = 0;
  for (let i = from, bp = from * width; i < n; i++, bp += width) {
    const b = pos + (bp >>> 3);
    const w = (b < end ? buf[b] : 0) | (b + 1 < end ? buf[b + 1] : 0) << 8 | (b + 2 < end ? buf[b + 2] : 0) << 16 | (b + 3 < end ? buf[b + 3] : 0) << 24;
    const v = (w >>> (bp & 7)) & mask;
    out[o + i] = v;
    bad |= lim - v;
  }
  if (bad < 0) throw outOfRange(maxOf(out, o + from, o + n), lim + 1);
}

/** Widths 26..32 can span 5 bytes; accumulates in a double (exact below 2^53). */
function unpackWide(buf: Uint8Array, pos: number, end: number, width: number, out: Int32Array, o: number, n: number, limit: number): void {
  const scale = 2 ** width;
  let acc = 0, bits = 0;
  for (let i = 0; i < n; i++) {
    while (bits < width) {
      acc += (pos < end ? buf[pos] : 0) * 2 ** bits;
      pos++;
      bits += 8;
    }
    const v = acc % scale;
    if (v >= limit) throw outOfRange(v, limit);
    out[o + i] = v;
    acc = Math.floor(acc / scale);
    bits -= width;
  }
}

function maxOf(a: Int32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) { const v = a[i] >>> 0; if (v > m) m = v; }
  return m;
}

/**
 * True when the width-1 data at `buf[pos, end)` starts with an RLE run of 1s covering
 * `count` values: the definition levels of a page without nulls, which then need not be
 * materialised.
 */
export function allOnes(buf: Uint8Array, pos: number, end: number, count: number): boolean {
  if (pos >= end) return false;
  let header = buf[pos];
  let p = pos + 1;
  if (header >= 0x80) {
    header = varint(buf, pos, end);
    p = after;
  }
  return (header & 1) === 0 && Math.floor(header / 2) >= count && p < end && buf[p] === 1;
}

/**
 * Decodes `count` width-1 values (definition levels of a flat column, booleans) into
 * `out[outPos, outPos + count)`; returns how many are 1. An RLE run of a value above 1 is an
 * error: a flat column has no deeper levels.
 */
export function readBits(buf: Uint8Array, pos: number, end: number, out: Uint8Array, outPos: number, count: number): number {
  const stop = outPos + count;
  let o = outPos, ones = 0;
  while (o < stop) {
    const header = varint(buf, pos, end);
    pos = after;
    if ((header & 1) === 0) {
      if (pos >= end) throw new Error(`RLE run value runs past the end of the data (offset ${pos})`);
      const v = buf[pos++];
      if (v > 1) throw new Error(`level ${v} out of range for a flat column`);
      const n = Math.min(Math.floor(header / 2), stop - o);
      out.fill(v, o, o + n);
      ones += v * n;
      o += n;
    } else {
      const groups = Math.floor(header / 2);
      if (groups === 0) continue;
      const n = Math.min(groups * 8, stop - o);
      if (pos >= end) throw new Error(`bit-packed run runs past the end of the data (offset ${pos})`);
      ones += unpackBits(buf, pos, Math.min(end, pos + groups), out, o, n);
      o += n;
      pos += groups;
    }
  }
  return ones;
}

/** Bit-unpacks `n` width-1 values LSB-first, bytes at or past `end` reading as zero; returns the number of 1s. */
function unpackBits(buf: Uint8Array, pos: number, end: number, out: Uint8Array, o: number, n: number): number {
  let ones = 0, i = 0;
  const full = Math.min(n >> 3, end - pos) << 3;
  for (; i < full; i += 8) {
    const b = buf[pos++];
    out[o + i] = b & 1; out[o + i + 1] = (b >> 1) & 1; out[o + i + 2] = (b >> 2) & 1; out[o + i + 3] = (b >> 3) & 1;
    out[o + i + 4] = (b >> 4) & 1; out[o + i + 5] = (b >> 5) & 1; out[o + i + 6] = (b >> 6) & 1; out[o + i + 7] = (b >> 7) & 1;
    ones += POPCOUNT[b];
  }
  for (; i < n; i++) {
    const b = pos + ((i - full) >> 3);
    const v = b < end ? (buf[b] >> ((i - full) & 7)) & 1 : 0;
    out[o + i] = v;
    ones += v;
  }
  return ones;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];
