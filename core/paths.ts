/** Locates compiled files (worker entry points) whether the caller runs from dist/ or from sources. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest folder above this module holding package.json. */
export function packageRoot(): string {
  if (root) return root;
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('cannot find the tessera package root');
    d = up;
  }
  return (root = d);
}

/** Absolute path of a compiled module under dist/, e.g. `distFile('planner/scheduler/worker.js')`. */
export const distFile = (rel: string): string => join(packageRoot(), 'dist', rel);
