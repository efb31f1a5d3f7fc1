/** Cutting a list of items into partitions. */

/**
 * Splits `items` into `p` contiguous partitions whose sizes differ by at most one (no empty
 * partition: `p` is capped at the number of items).
 * @example splitEven([1, 2, 3, 4, 5], 2) // [[1, 2], [3, 4, 5]]
 */
export function splitEven<T>(items: readonly T[], p: number): T[][] {
  const n = items.length;
  const parts = Math.min(Math.max(1, p), n);
  const out: T[][] = [];
  for (let i = 0; i < parts; i++) out.push(items.slice(Math.floor((i * n) / parts), Math.floor(((i + 1) * n) / parts)));
  return out;
}

/**
 * Splits `items` into chunks of `size` (the last may be shorter).
 * @example splitChunks([1, 2, 3, 4, 5], 2) // [[1, 2], [3, 4], [5]]
 */
export function splitChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let s = 0; s < items.length; s += size) out.push(items.slice(s, s + size));
  return out;
}

/**
 * Partitions for `n` items when the caller gave none: enough for every worker to get a few
 * (load balancing) without paying per-task overhead on tiny inputs.
 * @example defaultPartitions(1000, 4) // 16
 */
export const defaultPartitions = (n: number, workers: number): number => Math.max(1, Math.min(n, 4 * workers));
