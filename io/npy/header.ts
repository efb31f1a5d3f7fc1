/** The .npy header (format versions 1.0, 2.0 and 3.0): magic, version, a Python-dict literal. */
import { ParseError } from '../../core/errors.js';

/**
 * Element types read from .npy bodies (all little-endian or byte-sized).
 * @example const d: NpyDtype = 'f8';
 */
export type NpyDtype = 'f8' | 'f4' | 'i8' | 'i4' | 'i2' | 'i1' | 'u8' | 'u4' | 'u2' | 'u1' | 'b1';

const SIZES: Record<NpyDtype, number> = { f8: 8, f4: 4, i8: 8, i4: 4, i2: 2, i1: 1, u8: 8, u4: 4, u2: 2, u1: 1, b1: 1 };

/**
 * Bytes per element of `d`.
 * @example dtypeSize('i2') // 2
 */
export const dtypeSize = (d: NpyDtype): number => SIZES[d];

/**
 * What a .npy header says: element type, shape, and where the values start.
 * @example const { dtype, shape, dataOffset }: NpyHeader = openNpy('a.npy');
 */
export interface NpyHeader { dtype: NpyDtype; shape: number[]; dataOffset: number }

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses the header at the start of `head` (the first bytes of `file`, at least 10 plus the
 * header length). Rejects what cannot be read as a C-order little-endian number array.
 * @example
 * const h = parseNpyHeader(readFileSync('a.npy'), 'a.npy'); // { dtype: 'f8', shape: [3, 4], dataOffset: 128 }
 */
export function parseNpyHeader(head: Uint8Array, file: string): NpyHeader {
  if (head.length < 10 || MAGIC.some((b, i) => head[i] !== b)) {
    throw new ParseError(`${file}: not a .npy file (expected the magic bytes \\x93NUMPY at offset 0)`, { file, offset: 0 });
  }
  const major = head[6];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let len: number, start: number;
  if (major === 1) { len = view.getUint16(8, true); start = 10; } else if (major === 2 || major === 3) {
    if (head.length < 12) throw new ParseError(`${file}: truncated .npy header`, { file, offset: head.length });
    len = view.getUint32(8, true); start = 12;
  } else {
    throw new ParseError(`${file}: unsupported .npy format version ${major}.${head[7]} (expected 1.0, 2.0 or 3.0)`, { file, offset: 6 });
  }
  if (head.length < start + len) throw new ParseError(`${file}: truncated .npy header (needs ${start + len} bytes, file has ${head.length})`, { file, offset: head.length });
  const text = new TextDecoder('latin1').decode(head.subarray(start, start + len));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new ParseError(`${file}: malformed .npy header ${JSON.stringify(text.trim())} (expected 'descr', 'fortran_order' and 'shape')`, { file, offset: start });
  }
  if (fortran === 'True') {
    throw new ParseError(`${file}: found fortran_order True; only C-order arrays are supported (save with np.ascontiguousarray)`, { file, offset: start });
  }
  const dtype = parseDescr(descr, file, start);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) throw new ParseError(`${file}: bad dimension ${JSON.stringify(s)} in shape (${shapeText})`, { file, offset: start });
    return v;
  });
  return { dtype, shape, dataOffset: start + len };
}

function parseDescr(descr: string, file: string, offset: number): NpyDtype {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const little = m && (m[1] === '<' || m[1] === '|' || (m[1] === '=' && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1));
  const key = m ? `${m[2]}${m[3]}` : '';
  if (!m || !little || !(key in SIZES) || (m[3] !== '1' && m[1] === '|')) {
    throw new ParseError(`${file}: unsupported dtype ${JSON.stringify(descr)}; readable: little-endian f8, f4, i8, i4, i2, i1, u8, u4, u2, u1, b1`, { file, offset });
  }
  return key as NpyDtype;
}

/**
 * A v1.0 header (v2.0 when the dict does not fit 65535 bytes) for a C-order '<f8' array, padded to 64 bytes.
 * @example formatNpyHeader([3, 4]).length // 64
 */
export function formatNpyHeader(shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  const v2 = dict.length + 11 > 65535;
  const pre = v2 ? 12 : 10;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = v2 ? 2 : 1; out[7] = 0;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, dict.length, true); else view.setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  return out;
}
