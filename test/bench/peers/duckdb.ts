/** DuckDB peer: plain SQL over read_csv / read_parquet, two threads like every engine here. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Answer, AnswerTable } from '../answer.js';
import type { Peer } from '../peer.js';
import { routeKey, TOP_ROUTES, TOP_WORDS, type Job } from '../workloads.js';

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

async function run(conn: DuckDBConnection, job: Job): Promise<() => Answer> {
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
