/** .npy round trips with numpy, and typed errors for files that cannot be read. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ts from '../../core/index.js';
import { expectClose } from './ref.js';

const A = ts.array;
const dir = join(import.meta.dirname, '../../.test-data/array-npy');
mkdirSync(dir, { recursive: true });
afterAll(() => A.shutdownArrayWorkers());

const py = (code: string): string => execFileSync('python3', ['-c', `import numpy as np\n${code}`], { encoding: 'utf8' });

describe('array .npy', () => {
  it('writes files numpy reads, with the same values', async () => {
    const a = A.random([123, 45], { chunks: [20, 7], seed: 2 });
    const f = join(dir, 'a.npy');
    await a.toNpy(f, { scheduler: 'threads', workers: 2 });
    const { data } = await a.compute();
    writeFileSync(join(dir, 'a.bin'), data);
    const out = py(`a = np.load(${JSON.stringify(f)}); b = np.fromfile(${JSON.stringify(join(dir, 'a.bin'))}, dtype='<f8').reshape(123, 45)\nprint(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], bool((a == b).all()))`);
    expect(out.trim()).toBe('float64 (123, 45) True True');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes arrays chunked across columns by row bands, with the values of compute()', async () => {
    const a = A.random([61, 45], { chunks: [61, 4], seed: 4 }).cumsum({ axis: 1, method: 'sequential' });
    const f = join(dir, 'bands.npy');
    await a.toNpy(f, { scheduler: 'threads', workers: 2 });
    const { data } = await a.compute();
    writeFileSync(join(dir, 'bands.bin'), data);
    const out = py(`a = np.load(${JSON.stringify(f)}); b = np.fromfile(${JSON.stringify(join(dir, 'bands.bin'))}, dtype='<f8').reshape(61, 45)\nprint(a.shape, bool((a == b).all()))`);
    expect(out.trim()).toBe('(61, 45) True');
    const r = A.arange(24, { chunks: 5 }).reshape([2, 3, 4]).transpose([2, 0, 1]);
    await r.toNpy(join(dir, 'perm.npy'));
    expect(py(`print(np.load(${JSON.stringify(join(dir, 'perm.npy'))}).tolist() == np.arange(24).reshape(2, 3, 4).transpose(2, 0, 1).tolist())`).trim()).toBe('True');
  });

  it('matches numpy on exp + 3*sin then mean(axis 0), and on cumsum', async () => {
    const a = A.random([64, 50], { chunks: 16, seed: 8, dist: 'normal' });
    const f = join(dir, 'r.npy');
    await a.toNpy(f);
    const m = join(dir, 'm.npy'), c = join(dir, 'c.npy');
    py(`a = np.load(${JSON.stringify(f)}); np.save(${JSON.stringify(m)}, (np.exp(a) + 3*np.sin(a)).mean(axis=0)); np.save(${JSON.stringify(c)}, np.cumsum(a, axis=1))`);
    const mine = await A.exp(a).add(A.sin(a).mul(3)).mean({ axis: 0 }).compute();
    expectClose(mine.data, (await A.fromNpy(m, { chunks: 10 }).compute()).data, 1e-12);
    const cs = await a.cumsum({ axis: 1, method: 'blelloch' }).compute({ scheduler: 'threads', workers: 2 });
    expectClose(cs.data, (await A.fromNpy(c, { chunks: [7, 9] }).compute()).data, 1e-12);
  });

  it('reads numpy files of every supported dtype, v1 and v2 headers', async () => {
    const dtypes = ['<f8', '<f4', '<i8', '<i4', '<i2', 'i1', '<u8', '<u4', '<u2', 'u1', '?'];
    const files = dtypes.map((d, k) => join(dir, `t${k}.npy`));
    py(`from numpy.lib import format as fm
x = (np.arange(60).reshape(3, 4, 5) % 7)
for d, f in zip(${JSON.stringify(dtypes)}, ${JSON.stringify(files)}): np.save(f, x.astype(d))
with open(${JSON.stringify(join(dir, 'v2.npy'))}, 'wb') as fh: fm.write_array(fh, x.astype('<f8'), version=(2, 0))`);
    const want = Array.from({ length: 60 }, (_, i) => i % 7);
    for (const [k, f] of files.entries()) {
      const got = await A.fromNpy(f, { chunks: [2, 3, 2] }).compute({ scheduler: k % 2 ? 'threads' : 'sync', workers: 2 });
      expect(got.shape).toEqual([3, 4, 5]);
      expect([...got.data]).toEqual(dtypes[k] === '?' ? want.map((v) => (v ? 1 : 0)) : want);
    }
    expect([...(await A.fromNpy(join(dir, 'v2.npy'), { chunks: 2 }).sum({ axis: 2 }).compute()).data]).toHaveLength(12);
  });

  it('rejects unsupported dtypes, Fortran order and truncated bodies with ParseError naming the file', () => {
    const bad = { be: "'>f8'", cplx: "'<c16'", str: "'<U3'" } as const;
    const fo = join(dir, 'fortran.npy');
    const full = join(dir, 'full.npy');
    py([
      ...Object.entries(bad).map(([name, descr]) => `np.save(${JSON.stringify(join(dir, `bad-${name}.npy`))}, np.zeros(3, dtype=${descr}))`),
      `np.save(${JSON.stringify(fo)}, np.asfortranarray(np.zeros((3, 4))))`,
      `np.save(${JSON.stringify(full)}, np.zeros((10, 10)))`,
    ].join('\n'));
    for (const name of Object.keys(bad)) {
      const f = join(dir, `bad-${name}.npy`);
      expect(() => A.fromNpy(f, { chunks: 2 })).toThrowError(ts.ParseError);
      expect(() => A.fromNpy(f, { chunks: 2 })).toThrowError(new RegExp(`bad-${name}\\.npy.*unsupported dtype`));
    }
    expect(() => A.fromNpy(fo, { chunks: 2 })).toThrowError(/fortran\.npy.*fortran_order True/);
    const cut = join(dir, 'truncated.npy');
    writeFileSync(cut, readFileSync(full).subarray(0, 500));
    expect(() => A.fromNpy(cut, { chunks: 2 })).toThrowError(ts.ParseError);
    expect(() => A.fromNpy(cut, { chunks: 2 })).toThrowError(/truncated\.npy: truncated \.npy body.*needs 928 bytes, found 500/);
    writeFileSync(join(dir, 'junk.npy'), 'hello');
    expect(() => A.fromNpy(join(dir, 'junk.npy'), { chunks: 2 })).toThrowError(ts.ParseError);
    expect(() => A.fromNpy(join(dir, 'missing.npy'), { chunks: 2 })).toThrowError(ts.IOError);
  });

  it('leaves no partial file when the computation fails', async () => {
    const f = join(dir, 'never.npy');
    const gone = join(dir, 'gone.npy');
    py(`np.save(${JSON.stringify(gone)}, np.zeros((4, 4)))`);
    const a = A.fromNpy(gone, { chunks: 2 });
    writeFileSync(gone, readFileSync(gone).subarray(0, 140));
    await expect(a.toNpy(f, { scheduler: 'sync' })).rejects.toThrowError(ts.ParseError);
    expect(existsSync(f)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
