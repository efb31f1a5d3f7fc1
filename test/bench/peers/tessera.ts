/**
 * Tessera peer, written against the public API only. The engine is imported at run time so
 * the harness still runs (and reports Tessera as unavailable) when the engine does not load.
 */
import type * as Tessera from '../../../core/index.js';
import type { Answer, AnswerTable } from '../answer.js';
import type { Peer } from '../peer.js';
import { sortedFileAnswer, W6_SORT } from '../sorted-check.js';
import { inputPaths, parseW7, routeKey, TOP_ROUTES, TOP_WORDS, type Job } from '../workloads.js';

type Api = typeof Tessera;
type Table = Awaited<ReturnType<Tessera.LazyFrame['collect']>>;

/** Two worker threads, like every other engine in the comparison; no progress bar in the timing. */
const RUN = { scheduler: 'threads' as const, workers: 2, progress: false };

/**
 * Imports the engine entry point built next to this harness (`dist/core/index.js`) and starts
 * its worker pool; `warmUp: false` skips the pool's warm-up report (core/warm-up.ts).
 */
export async function load(workers = 2, warmUp = true): Promise<Peer> {
  const entry = new URL('../../../core/index.js', import.meta.url).href;
  const ts = (await import(entry)) as Api;
  RUN.workers = workers;
  // like DuckDB's instance with its threads, the worker pool is started before the timing
  await ts.startWorkers({ workers: RUN.workers, formats: ['csv', 'parquet', 'arrow', 'text'], warmUp });
  return { run: (job) => run(ts, job) };
}

/** Rows of an Arrow table as answer rows; int64 values arrive as bigint and become numbers. */
function table(t: Table, key: string[], values: string[]): AnswerTable {
  const col = (name: string) => {
    const v = t.getChild(name);
    if (!v) throw new Error(`result has no column ${name}; columns: ${t.schema.fields.map((f) => f.name).join(', ')}`);
    return v;
  };
  const k = key.map(col);
  const v = values.map(col);
  const out: AnswerTable = [];
  for (let i = 0; i < t.numRows; i++) out.push([k.map((c) => String(c.get(i))).join('|'), v.map((c) => Number(c.get(i)))]);
  return out;
}

/** W2: the word-count plan of API.md, top words and totals from one pass over the text. */
async function wordCount(ts: Api, path: string): Promise<() => Answer> {
  const { col, count } = ts;
  const counts = ts.readText(path)
    .select(col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'))
    .filter(col('word').ne(''))
    .groupBy('word').agg({ n: count() });
  const [top, totals] = await ts.compute(
    counts.sort(['n', 'word'], { descending: [true, false] }).head(TOP_WORDS),
    counts.select(col('n').sum().alias('total'), count().alias('distinct')),
    RUN,
  );
  return () => ({
    top: table(top, ['word'], ['n']).map(([w, v], i) => [routeKey(i + 1, w, ''), v]),
    totals: table(totals, [], ['total', 'distinct']),
  });
}

/**
 * W7: exp(x) + 3 sin(x) over a uniform N x N array, its mean over axis 0 and its cumsum over
 * axis 1, computed together (one pass over `y` feeds the mean and the cumsum's chunk totals).
 * The answer is the mean of the mean vector and the sum of the cumsum's last column over N^2
 * (both estimate E[exp(U) + 3 sin(U)]).
 */
async function arrays(ts: Api, path: string): Promise<() => Answer> {
  const { n, chunk, seed } = parseW7(path);
  const A = ts.array;
  const x = A.random([n, n], { chunks: chunk, seed });
  const y = A.exp(x).add(A.sin(x).mul(3));
  const [mean, last] = await A.compute(y.mean({ axis: 0 }), y.cumsum({ axis: 1 }).slice([0, n], [n - 1, n]).sum(), { scheduler: 'threads', workers: RUN.workers });
  return () => {
    let s = 0;
    for (const v of mean.data) s += v;
    return { stats: [['', [s / n, last.data[0] / (n * n)]]] };
  };
}

/**
 * W6: the G1 CSV under the memory limit and spill directory the harness gives
 * (`BENCH_MEMORY_LIMIT`, `BENCH_SPILL_DIR`); the sort writes its Parquet under `BENCH_OUT_DIR`.
 */
async function outOfCore(ts: Api, job: Job): Promise<() => Answer | Promise<Answer>> {
  const { col, count } = ts;
  const [csv, dims] = inputPaths(job.path);
  const opts = { ...RUN, memoryLimit: process.env.BENCH_MEMORY_LIMIT ?? '1GiB', spillDir: process.env.BENCH_SPILL_DIR };
  const g1 = ts.readCsv(csv);
  switch (job.query) {
    case 'q1': {
      const t = await g1.groupBy('id1').agg({ v1: col('v1').sum() }).collect(opts);
      return () => ({ groups: table(t, ['id1'], ['v1']) });
    }
    case 'q3': {
      const t = await g1.groupBy('id3').agg({ v1: col('v1').sum(), v3: col('v3').mean() }).collect(opts);
      return () => ({ groups: table(t, ['id3'], ['v1', 'v3']) });
    }
    case 'sort': {
      const out = `${process.env.BENCH_OUT_DIR ?? '.'}/w6-sort-tessera-${process.pid}.parquet`;
      await g1.sort([...W6_SORT.keys], { descending: [...W6_SORT.descending] }).writeParquet(out, opts);
      return () => sortedFileAnswer(out);
    }
    case 'join': {
      const t = await g1.join(ts.readParquet(dims), { on: 'id3' })
        .groupBy('grp').agg({ n: count(), v1: col('v1').sum(), v3w: col('v3').mul(col('w')).sum() }).collect(opts);
      return () => ({ groups: table(t, ['grp'], ['n', 'v1', 'v3w']) });
    }
    default: throw new Error(`unknown W6 query ${job.query}`);
  }
}

async function run(ts: Api, job: Job): Promise<() => Answer | Promise<Answer>> {
  if (job.workload === 'W2') return wordCount(ts, job.path);
  if (job.workload === 'W6') return outOfCore(ts, job);
  if (job.workload === 'W7') return arrays(ts, job.path);
  const src = job.format === 'csv' ? ts.readCsv(job.path) : job.format === 'arrow' ? ts.readArrow(job.path) : ts.readParquet(job.path);
  const { col, count } = ts;
  switch (job.workload) {
    case 'W3': {
      const t = await src.select(col('x').cumSum().alias('cs')).select(col('cs').last().alias('last'), col('cs').sum().alias('total')).collect(RUN);
      return () => ({ stats: table(t, [], ['last', 'total']) });
    }
    case 'W4': {
      const t = await src.groupBy('id1').agg({ v1: col('v1').sum() }).collect(RUN);
      return () => ({ groups: table(t, ['id1'], ['v1']) });
    }
    case 'W5': {
      const t = await src.groupBy('id3').agg({ v1: col('v1').sum(), v3: col('v3').mean() }).collect(RUN);
      return () => ({ groups: table(t, ['id3'], ['v1', 'v3']) });
    }
    case 'W1': {
      const delay = col('delay');
      const [stats, origins, routes] = await ts.compute(
        src.select(delay.min().alias('min'), delay.max().alias('max'), delay.mean().alias('mean'), delay.count().alias('count')),
        src.groupBy('origin').agg({ n: count() }),
        src.groupBy('origin', 'destination').agg({ n: count() })
          .sort(['n', 'origin', 'destination'], { descending: [true, false, false] })
          .head(TOP_ROUTES),
        RUN,
      );
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
