/**
 * The program a Node user writes by hand: CSV through readline + split(',') + a Map, Parquet
 * through hyparquet one row group at a time into the same Map. No engine, no workers.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tableFromIPC } from 'apache-arrow';
import { createInterface } from 'node:readline';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Answer } from '../answer.js';
import type { Peer } from '../peer.js';
import { routeKey, TOP_ROUTES, TOP_WORDS, type Job } from '../workloads.js';

/** Nothing to set up. */
export async function load(): Promise<Peer> {
  return { run };
}

/**
 * Calls `onRow` once per row. `row[ix[k]]` is the value of `columns[k]`: a string for CSV (the
 * fields of `line.split(',')`, positions taken from the header), a hyparquet value for Parquet.
 */
type RowLoop = (path: string, columns: string[], onRow: (row: unknown[], ix: number[]) => void) => Promise<void>;

const csvRows: RowLoop = async (path, columns, onRow) => {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let ix: number[] | undefined;
  for await (const line of lines) {
    const f = line.split(',');
    if (ix) onRow(f, ix);
    else ix = columns.map((c) => f.indexOf(c));
  }
};

const parquetRows: RowLoop = async (path, columns, onRow) => {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const ix = columns.map((_, i) => i);
  let rowStart = 0;
  for (const rg of metadata.row_groups) {
    const rowEnd = rowStart + Number(rg.num_rows);
    await parquetRead({
      file, metadata, columns, rowStart, rowEnd, compressors,
      onComplete: (rows) => { for (const row of rows) onRow(row, ix); },
    });
    rowStart = rowEnd;
  }
};

/** W2 by hand: readline, toLowerCase, split on non-letters, a Map of counts. */
async function wordCount(path: string): Promise<() => Answer> {
  const counts = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    for (const w of line.toLowerCase().split(/[^\p{L}]+/u)) if (w !== '') counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  let total = 0;
  for (const n of counts.values()) total += n;
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TOP_WORDS);
  return () => ({ top: top.map(([w, n], i) => [routeKey(i + 1, w, ''), [n]]), totals: [['', [total, counts.size]]] });
}

async function run(job: Job): Promise<() => Answer> {
  if (job.workload === 'W2') return wordCount(job.path);
  if (job.workload === 'W3') {
    if (job.format !== 'arrow') throw new Error('the hand-written W3 program reads the Arrow IPC file');
    const table = tableFromIPC(await readFile(job.path));
    let cs = 0, total = 0;
    for (const b of table.batches) {
      const x = b.getChild('x')!.toArray() as Float64Array;
      for (let i = 0; i < x.length; i++) { cs += x[i]; total += cs; }
    }
    return () => ({ stats: [['', [cs, total]]] });
  }
  const rows = job.format === 'csv' ? csvRows : parquetRows;
  switch (job.workload) {
    case 'W4': {
      const sums = new Map<string, number>();
      await rows(job.path, ['id1', 'v1'], (row, ix) => {
        const k = row[ix[0]] as string;
        sums.set(k, (sums.get(k) ?? 0) + Number(row[ix[1]]));
      });
      return () => ({ groups: [...sums].map(([k, v]) => [k, [v]]) });
    }
    case 'W5': {
      const acc = new Map<string, { v1: number; v3: number; n: number }>();
      await rows(job.path, ['id3', 'v1', 'v3'], (row, ix) => {
        const k = row[ix[0]] as string;
        let a = acc.get(k);
        if (!a) acc.set(k, (a = { v1: 0, v3: 0, n: 0 }));
        a.v1 += Number(row[ix[1]]);
        a.v3 += Number(row[ix[2]]);
        a.n++;
      });
      return () => ({ groups: [...acc].map(([k, a]) => [k, [a.v1, a.v3 / a.n]]) });
    }
    case 'W6': throw new Error('the naive program does not run W6 (the out-of-core comparison is with DuckDB); see peerRuns');
    case 'W7': throw new Error('the naive program does not run W7 (N-d arrays); see peerRuns');
    case 'W1': {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      let n = 0;
      const origins = new Map<string, number>();
      const routes = new Map<string, number>();
      await rows(job.path, ['delay', 'origin', 'destination'], (row, ix) => {
        const delay = row[ix[0]];
        const o = row[ix[1]] as string;
        const d = row[ix[2]] as string;
        if (delay !== null && delay !== undefined) {
          const x = Number(delay);
          if (x < min) min = x;
          if (x > max) max = x;
          sum += x;
          n++;
        }
        origins.set(o, (origins.get(o) ?? 0) + 1);
        const r = `${o}|${d}`;
        routes.set(r, (routes.get(r) ?? 0) + 1);
      });
      // Ties broken by route name, the order every peer uses, so the top 10 is unique.
      const top = [...routes]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, TOP_ROUTES);
      return () => ({
        stats: [['', [min, max, sum / n, n]]],
        origins: [...origins].map(([k, v]) => [k, [v]]),
        routes: top.map(([k, v], i) => {
          const [o, d] = k.split('|');
          return [routeKey(i + 1, o, d), [v]];
        }),
      });
    }
  }
}
