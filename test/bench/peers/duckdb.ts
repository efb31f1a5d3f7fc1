/** DuckDB peer: plain SQL over read_csv / read_parquet, two threads like every engine here. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Answer, AnswerTable } from '../answer.js';
import type { Peer } from '../peer.js';
import { sortedFileAnswer, W6_SORT } from '../sorted-check.js';
import { inputPaths, routeKey, TOP_ROUTES, TOP_WORDS, type Job } from '../workloads.js';

/** Opens an in-memory DuckDB with `threads = 2`. */
export async function load(): Promise<Peer> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run('SET threads = 2');
  return { run: (job) => run(conn, job) };
}

type Row = unknown[];

async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).getRows() as Row[];
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Bytes of a size like '1GiB' (the harness checks the form). */
function bytesOf(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/.exec(size);
  if (!m) throw new Error(`bad memory size ${size}`);
  return Math.round(Number(m[1]) * { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m[2] ?? 'B']!);
}

/**
 * W6 under `memory_limit` (the same bytes as Tessera's memoryLimit) with the harness's
 * temporary directory; the sort is a COPY of the ordered query to Parquet.
 */
async function outOfCore(conn: DuckDBConnection, job: Job): Promise<() => Answer | Promise<Answer>> {
  const [csv, dims] = inputPaths(job.path);
  await conn.run(`SET memory_limit = '${Math.floor(bytesOf(process.env.BENCH_MEMORY_LIMIT ?? '1GiB') / 2 ** 20)}MiB'`);
  if (process.env.BENCH_SPILL_DIR) await conn.run(`SET temp_directory = ${quote(process.env.BENCH_SPILL_DIR)}`);
  const src = `read_csv(${quote(csv)})`;
  switch (job.query) {
    case 'q1': {
      const r = await rows(conn, `SELECT id1, sum(v1) FROM ${src} GROUP BY id1`);
      return () => ({ groups: r.map((x) => [String(x[0]), [Number(x[1])]]) });
    }
    case 'q3': {
      const r = await rows(conn, `SELECT id3, sum(v1), avg(v3) FROM ${src} GROUP BY id3`);
      return () => ({ groups: r.map((x) => [String(x[0]), [Number(x[1]), Number(x[2])]]) });
    }
    case 'sort': {
      const out = `${process.env.BENCH_OUT_DIR ?? '.'}/w6-sort-duckdb-${process.pid}.parquet`;
      const order = W6_SORT.keys.map((k, i) => `${k}${W6_SORT.descending[i] ? ' DESC' : ''}`).join(', ');
      await conn.run(`COPY (SELECT * FROM ${src} ORDER BY ${order}) TO ${quote(out)} (FORMAT parquet)`);
      return () => sortedFileAnswer(out);
    }
    case 'join': {
      const r = await rows(conn, `SELECT grp, count(*), sum(v1), sum(v3 * w) FROM ${src} g JOIN read_parquet(${quote(dims)}) d USING (id3) GROUP BY grp`);
      return () => ({ groups: r.map((x) => [String(x[0]), [Number(x[1]), Number(x[2]), Number(x[3])]]) });
    }
    default: throw new Error(`unknown W6 query ${job.query}`);
  }
}

async function run(conn: DuckDBConnection, job: Job): Promise<() => Answer | Promise<Answer>> {
  if (job.workload === 'W6') return outOfCore(conn, job);
  const src = job.format === 'csv' || job.format === 'text' ? `read_csv(${quote(job.path)})` : `read_parquet(${quote(job.path)})`;
  switch (job.workload) {
    case 'W2': {
      const lines = `read_csv(${quote(job.path)}, columns={'line': 'VARCHAR'}, delim=chr(1), quote='', escape='', header=false, auto_detect=false)`;
      await conn.run(`CREATE OR REPLACE TEMP TABLE w2 AS SELECT word, count(*) AS n FROM (SELECT unnest(regexp_split_to_array(lower(line), '[^\\p{L}]+')) AS word FROM ${lines}) WHERE word <> '' GROUP BY word`);
      const top = await rows(conn, `SELECT word, n FROM w2 ORDER BY n DESC, word LIMIT ${TOP_WORDS}`);
      const totals = await rows(conn, 'SELECT sum(n), count(*) FROM w2');
      return () => ({
        top: top.map((x, i): AnswerTable[number] => [routeKey(i + 1, String(x[0]), ''), [Number(x[1])]]),
        totals: [['', [Number(totals[0][0]), Number(totals[0][1])]]],
      });
    }
    case 'W3': {
      if (job.format !== 'parquet') throw new Error('DuckDB reads W3 from Parquet only (no Arrow IPC reader without the arrow extension)');
      const r = await rows(conn, `SELECT last(cs ORDER BY rn), sum(cs) FROM (SELECT sum(x) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) cs, rn FROM (SELECT x, row_number() OVER () rn FROM ${src}))`);
      return () => ({ stats: [['', [Number(r[0][0]), Number(r[0][1])]]] });
    }
    case 'W4': {
      const r = await rows(conn, `SELECT id1, sum(v1) FROM ${src} GROUP BY id1`);
      return () => ({ groups: r.map((x) => [String(x[0]), [Number(x[1])]]) });
    }
    case 'W5': {
      const r = await rows(conn, `SELECT id3, sum(v1), avg(v3) FROM ${src} GROUP BY id3`);
      return () => ({ groups: r.map((x) => [String(x[0]), [Number(x[1]), Number(x[2])]]) });
    }
    case 'W7': throw new Error('DuckDB does not run W7 (N-d arrays); see peerRuns');
    case 'W1': {
      const stats = await rows(conn, `SELECT min(delay), max(delay), avg(delay), count(delay) FROM ${src}`);
      const origins = await rows(conn, `SELECT origin, count(*) FROM ${src} GROUP BY origin`);
      const routes = await rows(conn,
        `SELECT origin, destination, count(*) AS n FROM ${src} GROUP BY origin, destination ` +
        `ORDER BY n DESC, origin, destination LIMIT ${TOP_ROUTES}`);
      return () => ({
        stats: [['', stats[0].map(Number)]],
        origins: origins.map((x) => [String(x[0]), [Number(x[1])]]),
        routes: routes.map((x, i): AnswerTable[number] => [routeKey(i + 1, String(x[0]), String(x[1])), [Number(x[2])]]),
      });
    }
  }
}
