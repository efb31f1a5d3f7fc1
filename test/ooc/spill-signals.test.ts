/**
 * A process stopped while spilling leaves nothing behind: a child process runs an external
 * sort over an endless source with a tiny budget (so it keeps writing runs), and is stopped
 * with SIGTERM, SIGINT or process.exit once its spill files exist.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dist = (p: string) => pathToFileURL(join(root, 'dist', p)).href;
const work = mkdtempSync(join(os.tmpdir(), 'tessera-ooc-signal-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CHILD = `
import { readdirSync } from 'node:fs';
import { MemoryLedger } from '${dist('core/memory/index.js')}';
import { liveSpillDirs, spillDirFactory } from '${dist('io/spill/index.js')}';
import { numericFromValues } from '${dist('ops/column/build.js')}';
import { externalSort } from '${dist('ops/kernels/sort/external-sort.js')}';

const [base, how] = process.argv.slice(2);
const n = 20000;
const batch = { length: n, columns: { k: numericFromValues('float64', Array.from({ length: n }, (_, i) => (i * 7919) % 1000)) } };
async function* endless() {
  for (let k = 0; ; k++) {
    yield batch;
    if (k === 8) {
      const dirs = liveSpillDirs();
      console.log('SPILLING ' + dirs.length + ' ' + dirs.map((d) => readdirSync(d).length).join(','));
      if (how === 'exit') process.exit(3);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}
const memory = new MemoryLedger('4MiB').account('sort', { budget: 256 * 1024 });
for await (const b of externalSort(endless(), { by: ['k'], memory, spillDir: spillDirFactory(base) })) console.log(b.length);
`;

beforeAll(() => {
  // the child imports the compiled kernels; type errors elsewhere in the tree do not stop tsc emitting
  try { execSync('npm run build', { cwd: root, stdio: 'pipe' }); } catch { /* checked below */ }
  for (const f of ['io/spill/index.js', 'ops/kernels/sort/external-sort.js', 'core/memory/index.js']) {
    if (!existsSync(join(root, 'dist', f))) throw new Error(`npm run build did not produce dist/${f}`);
  }
  writeFileSync(join(work, 'child.mjs'), CHILD);
}, 300_000);

/** Starts the child, waits until it reports live spill files, then stops it as `how` says. */
function runChild(how: 'SIGTERM' | 'SIGINT' | 'exit'): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawFiles: boolean; base: string }> {
  const base = mkdtempSync(join(work, `${how}-`));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(work, 'child.mjs'), base, how], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', sawFiles = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /SPILLING (\d+) (\d+)/.exec(out);
      if (m && !sawFiles) {
        sawFiles = m[1] === '1' && Number(m[2]) > 0;
        if (how !== 'exit') child.kill(how);
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`child did not spill in time:\n${out}\n${err}`)); }, 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!/SPILLING/.test(out)) fail(new Error(`child exited (${code ?? signal}) before spilling:\n${err}`));
      else done({ code, signal, sawFiles, base });
    });
  });
}

describe('spill directories and process termination', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`${sig}: the spill directory is removed and the process still dies of the signal`, async () => {
      const r = await runChild(sig);
      expect(r.sawFiles).toBe(true);
      expect(r.signal).toBe(sig);
      expect(readdirSync(r.base)).toEqual([]);
    });
  }

  it('process.exit while spilling: the directory is removed and the exit code kept', async () => {
    const r = await runChild('exit');
    expect(r.sawFiles).toBe(true);
    expect(r.code).toBe(3);
    expect(readdirSync(r.base)).toEqual([]);
  });
});
