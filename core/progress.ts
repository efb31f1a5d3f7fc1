/** A terminal progress line fed by engine events (stderr; redrawn in place on a TTY). */
import { events, type EngineEvent } from './events.js';

const fmtRows = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));

/** Rows and bytes read so far (a fused word count reads bytes without counting rows). */
const read = (rows: number, bytes: number): string => `${rows > 0 ? `${fmtRows(rows)} rows, ` : ''}${bytes > 0 ? `${fmtBytes(bytes)}, ` : ''}`;

const fmtBytes = (n: number): string =>
  n < 2 ** 20 ? `${Math.round(n / 1024)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`;

/** Shows progress for one query until the returned function is called. */
export function showProgress(query: number, label: string): () => void {
  const tty = Boolean(process.stderr.isTTY);
  const t0 = performance.now();
  let total = 0, done = 0, rows = 0, bytes = 0, lastDraw = 0;
  const draw = (final = false) => {
    const now = performance.now();
    if (!final && now - lastDraw < (tty ? 80 : 1000)) return;
    lastDraw = now;
    const width = 24, filled = total ? Math.round((done / total) * width) : 0;
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} partitions, ${read(rows, bytes)}${((now - t0) / 1000).toFixed(1)}s`;
    process.stderr.write(tty ? `\r${line}\x1b[K${final ? '\n' : ''}` : `${line}\n`);
  };
  const off = events.subscribe((e: EngineEvent) => {
    if (e.query !== query) return;
    if (e.type === 'query-start') total = e.partitions;
    else if (e.type === 'partition-finished') { done++; rows += e.rowsRead; bytes += e.bytes ?? 0; draw(); }
  });
  return () => { off(); draw(true); };
}
