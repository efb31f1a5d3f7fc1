/** Command-line options of the benchmark harness. */
import { PEER_NAMES } from './peer.js';

/** Harness settings, after defaults. */
export interface BenchArgs {
  /** G1 rows for W4/W5 (`--rows 1e7`). */
  rows: number;
  /** W3 values (`--w3rows 1e8`). */
  w3rows: number;
  /** W6 G1 rows (`--w6rows 1e8`). */
  w6rows: number;
  /** W6 memory limit for Tessera and DuckDB (`--w6memory 1GiB`). */
  w6memory: string;
  /** W7 array side N: the array is N x N (`--w7n 20000`). */
  w7n: number;
  /** W7 chunk side C: chunks are C x C (`--w7chunk 2000`). */
  w7chunk: number;
  /** Copies of the Brown corpus (~10 MB each) in the W2 input (`--copies 100` ~ 1 GB). */
  copies: number;
  /** G1 seed (`--seed 1`). */
  seed: number;
  /** Runs per engine and case; the report shows the median (`--reps 3`). */
  reps: number;
  /** Workloads or case ids to run (`--only W4,W5-csv`); empty runs everything. */
  only: string[];
  /** Engines to run (`--peers duckdb,tessera`); empty runs every engine. */
  peers: string[];
  /** Where generated data and the report go (`--data .bench-data`). */
  data: string;
  /** Whether Arquero runs on W4 CSV (`--arquero false` / `--no-arquero` to skip its ~45 s). */
  arquero: boolean;
  /** Per-run time limit in seconds (`--timeout 600`). */
  timeoutS: number;
}

/** Usage text. */
export const USAGE = 'usage: node --expose-gc dist/test/bench/run.js [--rows 1e7] [--w3rows 1e8] [--w6rows 1e8] [--w6memory 1GiB] [--w7n 20000] [--w7chunk 2000] [--copies 100] [--reps 3] [--only W4,W5] '
  + '[--peers duckdb,polars,naive,arquero,numpy,tessera] [--data .bench-data] [--seed 1] [--no-arquero] [--timeout 600]';

const DEFAULTS: BenchArgs = { rows: 1e7, w3rows: 1e8, w6rows: 1e8, w6memory: '1GiB', w7n: 20000, w7chunk: 2000, copies: 100, seed: 1, reps: 3, only: [], peers: [], data: '.bench-data', arquero: true, timeoutS: 600 };

/** Parses `--name value`, `--name=value`, and the boolean forms `--arquero` / `--no-arquero`. */
export function parseArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    let name = argv[i];
    if (!name.startsWith('--')) throw new Error(`unexpected argument ${name}\n${USAGE}`);
    name = name.slice(2);
    if (name === 'no-arquero') { a.arquero = false; continue; }
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'arquero' && value === undefined && (i + 1 >= argv.length || argv[i + 1].startsWith('--'))) { a.arquero = true; continue; }
    if (name === 'help') throw new Error(USAGE);
    value ??= argv[++i];
    if (value === undefined) throw new Error(`missing value for --${name}\n${USAGE}`);
    switch (name) {
      case 'rows': a.rows = count(name, value); break;
      case 'w3rows': a.w3rows = count(name, value); break;
      case 'w6rows': a.w6rows = Math.max(100, count(name, value)); break;
      case 'w6memory':
        if (!/^\d+(\.\d+)?\s*(B|KiB|MiB|GiB)?$/.test(value)) throw new Error(`--w6memory takes bytes or a size like 1GiB, got ${value}`);
        a.w6memory = value; break;
      case 'w7n': a.w7n = Math.max(1, count(name, value)); break;
      case 'w7chunk': a.w7chunk = Math.max(1, count(name, value)); break;
      case 'copies': a.copies = Math.max(1, count(name, value)); break;
      case 'seed': a.seed = count(name, value); break;
      case 'reps': a.reps = Math.max(1, count(name, value)); break;
      case 'timeout': a.timeoutS = count(name, value); break;
      case 'only': a.only = list(value); break;
      case 'peers': a.peers = peers(value); break;
      case 'data': a.data = value; break;
      case 'arquero': a.arquero = !['false', '0', 'no', 'off'].includes(value.toLowerCase()); break;
      default: throw new Error(`unknown option --${name}\n${USAGE}`);
    }
  }
  return a;
}

function count(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer (1e7 works), got ${v}`);
  return n;
}

function peers(v: string): string[] {
  const names = list(v).map((s) => s.toLowerCase());
  const unknown = names.filter((n) => !(PEER_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`unknown engine ${unknown.join(', ')}; known: ${PEER_NAMES.join(', ')}`);
  return names;
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
