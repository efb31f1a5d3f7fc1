/** zstd pages: the native decoder, its checks, and the fallbacks behind it. */
import { describe, expect, it } from 'vitest';
import { compress, decompress, loadZstd, nativeZstdLoaded } from '../../../io/parquet/codecs.js';

describe('zstd page decompression', () => {
  const page = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251 ^ (i >> 9));

  it('uses the native addon that npm ci installs', () => {
    expect(nativeZstdLoaded()).toBe(true);
  });

  it('round-trips a page and rejects one whose size disagrees with the header', async () => {
    expect(await loadZstd()).toBe(true);
    const z = compress('ZSTD', page);
    expect(z.length).toBeLessThan(page.length);
    expect(decompress('ZSTD', z, page.length)).toEqual(page);
    expect(() => decompress('ZSTD', z, page.length - 1)).toThrow(/ZSTD|zstd|size|bytes/);
    expect(() => decompress('ZSTD', z, page.length + 1)).toThrow(/ZSTD|zstd|size|bytes/);
  });

  it('rejects a truncated frame and one that is not zstd with an error', async () => {
    await loadZstd();
    const z = compress('ZSTD', page);
    expect(() => decompress('ZSTD', z.subarray(0, z.length - 10), page.length)).toThrow();
    const bad = z.slice();
    bad[0] ^= 0xff;
    expect(() => decompress('ZSTD', bad, page.length)).toThrow();
  });
});
