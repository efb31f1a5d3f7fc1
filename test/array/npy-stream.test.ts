/**
 * Manual check (skipped unless TESSERA_NPY_STREAM=1; ~1 minute, writes 800 MB): a 1e8-element
 * cumsum goes to .npy with bounded memory. The write runs in a child process so its peak RSS
 * is its own; numpy then checks the file.
 *
 *   npm run build && TESSERA_NPY_STREAM=1 npx vitest run test/array/npy-stream
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../.test-data/array-npy-stream');
const entry = join(import.meta.dirname, '../../dist/core/index.js');
const N = 1e8;

describe.skipIf(!process.env.TESSERA_NPY_STREAM)('toNpy streaming (manual)', () => {
  it('writes a 1e8-element cumsum with peak RSS far below the 800 MB it writes', () => {
    mkdirSync(dir, { recursive: true });
    const f = join(dir, 'cumsum.npy');
    try {
      const script = `
        const ts = await import(${JSON.stringify(entry)});
        const a = ts.array.random([${N}], { chunks: 1e6, seed: 1 });
        const t0 = performance.now();
        await a.cumsum({ axis: 0 }).toNpy(${JSON.stringify(f)}, { scheduler: 'threads', workers: 2 });
        const seconds = (performance.now() - t0) / 1000;
        const rss = process.resourceUsage().maxRSS / 1024;
        const [total, head] = await ts.array.compute(a.sum(), a.slice([0, 12345679]).sum());
        console.log(JSON.stringify({ seconds, rss, total: total.data[0], head: head.data[0] }));
        await ts.array.shutdownArrayWorkers();`;
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
      console.log(`toNpy of a ${N}-element cumsum: ${out.seconds.toFixed(1)} s, peak RSS ${Math.round(out.rss)} MB`);
      expect(out.rss).toBeLessThan(300);
      const check = execFileSync('python3', ['-c', `import numpy as np
c = np.load(${JSON.stringify(f)}, mmap_mode='r')
print(c.shape[0], repr(float(c[-1])), repr(float(c[12345678])), bool(np.all(np.diff(c[:1000000]) >= 0)))`], { encoding: 'utf8' }).trim().split(' ');
      expect(Number(check[0])).toBe(N);
      expect(Math.abs(Number(check[1]) - out.total) / out.total).toBeLessThan(1e-9);
      expect(Math.abs(Number(check[2]) - out.head) / out.head).toBeLessThan(1e-9);
      expect(check[3]).toBe('True');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
