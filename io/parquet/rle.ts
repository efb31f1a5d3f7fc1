/**
 * The RLE / bit-packed hybrid encoding of Parquet (definition levels, dictionary indices,
 * booleans), decoded straight into typed arrays.
 *
 * Every loop iteration consumes at least one input byte and positions are checked against
 * the end of the buffer, so corrupt input ends in an error, never in a loop that spins.
 */

/** Reads an unsigned LEB128 varint at `pos`; returns [value, nextPos]. */
function varint(buf: Uint8Array, pos: number, end: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    if (pos >= end) throw new Error(`RLE header runs past the end of the data (offset ${pos})`);
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, pos];
    shift += 7;
    if (shift > 35) throw new Error(`RLE header varint too long (offset ${pos})`);
  }
}

/**
 * Decodes `count` values of bit width `width` (0..32) from `buf[pos, end)` into
 * `out[outPos, outPos + count)`. Returns the position after the last run read.
 */
export function readHybrid(
  buf: Uint8Array, pos: number, end: number, width: number,
  out: Int32Array | Uint8Array, outPos: number, count: number,
): number {
  if (width === 0) { out.fill(0, outPos, outPos + count); return pos; }
  if (width > 32) throw new Error(`RLE bit width ${width} out of range`);
  const stop = outPos + count;
  let o = outPos;
  const byteWidth = (width + 7) >> 3;
  while (o < stop) {
    let header: number;
    [header, pos] = varint(buf, pos, end);
    if ((header & 1) === 0) {
      const run = Math.floor(header / 2);
      if (pos + byteWidth > end) throw new Error(`RLE run value runs past the end of the data (offset ${pos})`);
      let v = 0;
      for (let i = 0; i < byteWidth; i++) v += buf[pos + i] * 2 ** (8 * i);
      pos += byteWidth;
      const n = Math.min(run, stop - o);
      out.fill(v, o, o + n);
      o += n;
    } else {
      const groups = Math.floor(header / 2);
      if (groups === 0) continue;
      const n = Math.min(groups * 8, stop - o);
      const bytes = groups * width;
      if (pos >= end) throw new Error(`bit-packed run runs past the end of the data (offset ${pos})`);
      unpack(buf, pos, Math.min(end, pos + bytes), width, out, o, n);
      o += n;
      pos += bytes;
    }
  }
  return pos;
}

/** Bit-unpacks `n` values LSB-first; bytes at or past `end` read as zero. */
function unpack(buf: Uint8Array, pos: number, end: number, width: number, out: Int32Array | Uint8Array, o: number, n: number): void {
  if (width === 1 && pos + (n >> 3) <= end) {
    const full = n & ~7;
    let i = 0;
    for (; i < full; i += 8) {
      const b = buf[pos++];
      out[o + i] = b & 1; out[o + i + 1] = (b >> 1) & 1; out[o + i + 2] = (b >> 2) & 1; out[o + i + 3] = (b >> 3) & 1;
      out[o + i + 4] = (b >> 4) & 1; out[o + i + 5] = (b >> 5) & 1; out[o + i + 6] = (b >> 6) & 1; out[o + i + 7] = (b >> 7) & 1;
    }
    if (i < n) {
      const b = pos < end ? buf[pos] : 0;
      for (let k = 0; i < n; i++, k++) out[o + i] = (b >> k) & 1;
    }
    return;
  }
  if (width <= 25) {
    // each value sits in the 4 bytes starting at its first bit (shift <= 7, width <= 25);
    // independent loads per value measured ~20% faster than a running bit accumulator
    const mask = (1 << width) - 1;
    const safe = Math.max(0, Math.min(n, Math.floor(((end - pos - 4) * 8) / width)));
    let i = 0;
    for (let bp = 0; i < safe; i++, bp += width) {
      const b = pos + (bp >>> 3);
      out[o + i] = ((buf[b] | buf[b + 1] << 8 | buf[b + 2] << 16 | buf[b + 3] << 24) >>> (bp & 7)) & mask;
    }
    for (let bp = i * width; i < n; i++, bp += width) {
      const b = pos + (bp >>> 3);
      const w = (b < end ? buf[b] : 0) | (b + 1 < end ? buf[b + 1] : 0) << 8 | (b + 2 < end ? buf[b + 2] : 0) << 16 | (b + 3 < end ? buf[b + 3] : 0) << 24;
      out[o + i] = (w >>> (bp & 7)) & mask;
    }
    return;
  }
  // wider values can span 5 bytes; accumulate in a double (exact below 2^53)
  const scale = 2 ** width;
  let acc = 0, bits = 0;
  for (let i = 0; i < n; i++) {
    while (bits < width) {
      acc += (pos < end ? buf[pos] : 0) * 2 ** bits;
      pos++;
      bits += 8;
    }
    out[o + i] = acc % scale;
    acc = Math.floor(acc / scale);
    bits -= width;
  }
}
