/** Polars peer (nodejs-polars): the lazy scan API, as a Polars user would write these queries. */
import pl from 'nodejs-polars';
import type { Answer, AnswerTable } from '../answer.js';
import type { Peer } from '../peer.js';
import { routeKey, TOP_ROUTES, TOP_WORDS, type Job } from '../workloads.js';

/** Polars needs no setup; its thread pool size comes from POLARS_MAX_THREADS set by the harness. */
export async function load(): Promise<Peer> {
  return { run };
}

function scan(job: Job): pl.LazyDataFrame {
  return job.format === 'csv' ? pl.scanCSV(job.path) : job.format === 'arrow' ? pl.scanIPC(job.path) : pl.scanParquet(job.path);
}

/** Column `name` of `df` as plain JS values (Int64 may surface as bigint). */
function column(df: pl.DataFrame, name: string): unknown[] {
  return df.getColumn(name).toArray() as unknown[];
}

function table(df: pl.DataFrame, key: string[], values: string[]): AnswerTable {
  const k = key.map((c) => column(df, c));
  const v = values.map((c) => column(df, c));
  const out: AnswerTable = [];
  for (let i = 0; i < df.height; i++) out.push([k.map((c) => String(c[i])).join('|'), v.map((c) => Number(c[i]))]);
  return out;
}

/**
 * W2 as a Polars user writes it: lines through the CSV reader with a separator and quote that
 * never occur, lowercase, non-letter runs replaced by a space (its split takes no regex), split,
 * explode, count.
 */
async function wordCount(path: string): Promise<() => Answer> {
  const counts = await pl.scanCSV(path, { hasHeader: false, sep: '\x01', quoteChar: '\x02' })
    .select(pl.col('column_1').str.toLowerCase().str.replaceAll('[^\\p{L}]+', ' ').str.split(' ').explode().alias('word'))
    .filter(pl.col('word').neq(pl.lit('')))
    .groupBy('word').agg(pl.len().alias('n'))
    .collect();
  const top = counts.sort(['n', 'word'], [true, false]).head(TOP_WORDS);
  const totals = counts.select(pl.col('n').sum().alias('total'), pl.len().alias('distinct'));
  return () => ({
    top: table(top, ['word'], ['n']).map(([w, v], i) => [routeKey(i + 1, w, ''), v]),
    totals: table(totals, [], ['total', 'distinct']),
  });
}

async function run(job: Job): Promise<() => Answer> {
  if (job.workload === 'W2') return wordCount(job.path);
  const lf = scan(job);
  switch (job.workload) {
    case 'W3': {
      const df = await lf.select(pl.col('x').cumSum().alias('cs')).select(pl.col('cs').last().alias('last'), pl.col('cs').sum().alias('total')).collect();
      return () => ({ stats: table(df, [], ['last', 'total']) });
    }
    case 'W4': {
      const df = await lf.groupBy('id1').agg(pl.col('v1').sum()).collect();
      return () => ({ groups: table(df, ['id1'], ['v1']) });
    }
    case 'W5': {
      const df = await lf.groupBy('id3').agg(pl.col('v1').sum(), pl.col('v3').mean()).collect();
      return () => ({ groups: table(df, ['id3'], ['v1', 'v3']) });
    }
    case 'W6': throw new Error('Polars does not run W6 (the out-of-core comparison is with DuckDB); see peerRuns');
    case 'W7': throw new Error('Polars does not run W7 (N-d arrays); see peerRuns');
    case 'W1': {
      // nodejs-polars has no collect_all; one query after another measured faster here than
      // three concurrent collects competing for the same two threads.
      const stats = await lf.select(
        pl.col('delay').min().alias('min'), pl.col('delay').max().alias('max'),
        pl.col('delay').mean().alias('mean'), pl.col('delay').count().alias('count'),
      ).collect();
      const origins = await lf.groupBy('origin').agg(pl.len().alias('n')).collect();
      const routes = await lf.groupBy(['origin', 'destination']).agg(pl.len().alias('n'))
        .sort(['n', 'origin', 'destination'], [true, false, false]).head(TOP_ROUTES).collect();
      return () => ({
        stats: table(stats, [], ['min', 'max', 'mean', 'count']),
        origins: table(origins, ['origin'], ['n']),
        routes: table(routes, ['origin', 'destination'], ['n']).map(([k, v], i) => {
          const [o, d] = k.split('|');
          return [routeKey(i + 1, o, d), v];
        }),
      });
    }
  }
}
