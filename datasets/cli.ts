/**
 * Data set generator command line.
 *
 *   node dist/datasets/cli.js g1 --rows 1e7 --seed 1 --out .bench-data/
 *
 * Writes G1_<rows>_1e2_0_0_s<seed>.csv and .parquet under --out, skipping files that already
 * exist (their names encode every parameter).
 */
import { ensureG1 } from './g1-files.js';

const USAGE = 'usage: node dist/datasets/cli.js g1 [--rows 1e7] [--seed 1] [--out .bench-data]';

/** Parses `--name value` pairs; numbers accept exponent notation (1e7). */
function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${USAGE}`);
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length) flags.set(a.slice(2), argv[++i]);
    else throw new Error(`missing value for ${a}\n${USAGE}`);
  }
  return flags;
}

function intFlag(flags: Map<string, string>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd !== 'g1') throw new Error(USAGE);
  const flags = parseFlags(rest);
  const rows = intFlag(flags, 'rows', 1e7);
  const seed = intFlag(flags, 'seed', 1);
  const out = flags.get('out') ?? '.bench-data';
  const files = await ensureG1(out, { rows, seed }, (m) => console.error(m));
  console.log(JSON.stringify(files));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
