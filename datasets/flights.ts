/**
 * The 3M-row flights table that ships with the vega-datasets package (date TIMESTAMP, delay,
 * distance BIGINT, origin, destination VARCHAR; ZSTD pages with dictionaries). It is a real
 * file nobody in this project wrote, so it exercises the Parquet reader honestly.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const FILE = join('vega-datasets', 'data', 'flights-3m.parquet');

/**
 * Absolute path of `vega-datasets/data/flights-3m.parquet`, found along Node's module search
 * path. The package's `exports` map hides both `package.json` and `data/`, so the file is
 * located by directory rather than through `require.resolve`.
 * @throws Error naming the directories searched when the file is missing.
 */
export function flightsPath(): string {
  const dirs = createRequire(import.meta.url).resolve.paths('vega-datasets') ?? [];
  for (const dir of dirs) {
    const path = join(dir, FILE);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `flights-3m.parquet not found: install the vega-datasets package (npm install --save-dev vega-datasets); ` +
    `looked for ${FILE} under ${dirs.join(', ') || '(no node_modules directories)'}`,
  );
}
