/** Human-readable byte figures for error messages and metrics. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * A byte count in binary units with up to one decimal, the way memoryLimit is written.
 * @example formatBytes(3 * 1024 * 1024) // '3.0 MiB'
 */
export function formatBytes(n: number): string {
  let v = n, u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}
