/** Opening .npy files and reading C-order boxes of them as float64, one contiguous run at a time. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { IOError, ParseError } from '../../core/errors.js';
import { boxShape, forEachRun, sizeOf, type Box } from '../../ops/kernels/array/box.js';
import { dtypeSize, parseNpyHeader, type NpyDtype, type NpyHeader } from './header.js';

function open(path: string): number {
  try { return openSync(path, 'r'); } catch (e) { throw new IOError(`cannot open ${path}: ${(e as Error).message}`, path, { cause: e }); }
}

/**
 * Reads and checks the header of `path`, including that the body holds every element
 * (a truncated file fails here, not halfway through a computation).
 * @example
 * const { dtype, shape } = openNpy('a.npy');
 */
export function openNpy(path: string): NpyHeader {
  const fd = open(path);
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 65536 + 12));
    readSync(fd, head, 0, head.length, 0);
    let h = parseNpyHeader(head, path);
    if (h.dataOffset > head.length) {
      const big = new Uint8Array(Math.min(size, h.dataOffset));
      readSync(fd, big, 0, big.length, 0);
      h = parseNpyHeader(big, path);
    }
    const need = h.dataOffset + sizeOf(h.shape) * dtypeSize(h.dtype);
    if (size < need) {
      throw new ParseError(`${path}: truncated .npy body: shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need} bytes, found ${size}`, { file: path, offset: size });
    }
    return h;
  } finally { closeSync(fd); }
}

function convert(bytes: Uint8Array, dtype: NpyDtype, out: Float64Array, at: number, n: number): void {
  // copy to an aligned buffer: runs start at arbitrary byte offsets
  const buf = bytes.slice().buffer;
  switch (dtype) {
    case 'f8': out.set(new Float64Array(buf, 0, n), at); break;
    case 'f4': out.set(new Float32Array(buf, 0, n), at); break;
    case 'i4': out.set(new Int32Array(buf, 0, n), at); break;
    case 'i2': out.set(new Int16Array(buf, 0, n), at); break;
    case 'i1': out.set(new Int8Array(buf, 0, n), at); break;
    case 'u4': out.set(new Uint32Array(buf, 0, n), at); break;
    case 'u2': out.set(new Uint16Array(buf, 0, n), at); break;
    case 'u1': case 'b1': out.set(new Uint8Array(buf, 0, n), at); break;
    case 'i8': { const v = new BigInt64Array(buf, 0, n); for (let i = 0; i < n; i++) out[at + i] = Number(v[i]); break; }
    case 'u8': { const v = new BigUint64Array(buf, 0, n); for (let i = 0; i < n; i++) out[at + i] = Number(v[i]); break; }
  }
}

/**
 * Reads `box` of the array stored at `dataOffset` of `path` as float64.
 * @example
 * const h = openNpy('a.npy');
 * const v = readNpyBox('a.npy', h, { start: [0, 0], stop: [2, 2] });
 */
export function readNpyBox(path: string, h: Pick<NpyHeader, 'dtype' | 'shape' | 'dataOffset'>, box: Box): Float64Array {
  const out = new Float64Array(sizeOf(boxShape(box)));
  const es = dtypeSize(h.dtype);
  const fd = open(path);
  try {
    let scratch = new Uint8Array(0);
    forEachRun(h.shape, box, (flat, off, len) => {
      const bytes = len * es;
      if (scratch.length < bytes) scratch = new Uint8Array(bytes);
      const view = scratch.subarray(0, bytes);
      let got = 0;
      while (got < bytes) {
        const n = readSync(fd, view, got, bytes - got, h.dataOffset + flat * es + got);
        if (n === 0) throw new ParseError(`${path}: truncated .npy body at byte ${h.dataOffset + flat * es + got}`, { file: path, offset: h.dataOffset + flat * es + got });
        got += n;
      }
      convert(view, h.dtype, out, off, len);
    });
  } finally { closeSync(fd); }
  return out;
}
