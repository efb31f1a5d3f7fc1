/** Bag constructors: in-memory items and lines of text files. */
import { config, parseBytes } from '../config.js';
import { PlanError } from '../errors.js';
import { Bag } from './bag.js';
import { defaultPartitions, splitEven } from './split.js';

/**
 * A bag over in-memory items, cut into `partitions` contiguous partitions (default: up to
 * 4 per worker). Items reach the workers by structured clone, so they must be plain data.
 * @example ts.bag.fromItems([{ a: 1 }, { a: 2 }, { a: 3 }], { partitions: 2 })
 */
export function fromItems<T>(items: Iterable<T> | ArrayLike<T>, opts: { partitions?: number } = {}): Bag<T> {
  if (items === null || typeof items !== 'object') {
    throw new PlanError(`bag.fromItems() expects an array or another iterable of items, got ${items === null ? 'null' : typeof items}`);
  }
  const list = Array.from(items as Iterable<T>);
  const p = opts.partitions;
  if (p !== undefined && (!Number.isInteger(p) || p < 1)) throw new PlanError(`bag.fromItems(): partitions must be a positive integer, got ${p}`);
  const parts = splitEven(list, p ?? defaultPartitions(list.length, config().workers));
  return new Bag<T>({ source: { kind: 'items', partitions: parts }, steps: [], counts: {} });
}

/**
 * Options of bag.readText.
 * @example ts.bag.readText('big.log', { blocksize: '64MiB' })
 */
export interface ReadTextOptions {
  /** bytes per partition (blocks are cut at line boundaries); default `ts.config().blocksize` */
  blocksize?: number | string;
  compression?: 'infer' | 'none' | 'gzip' | 'zstd';
  /** longest line accepted, in bytes (the text reader's default when absent) */
  maxLineBytes?: number;
}

/**
 * A bag of the lines of text files (without line terminators), in file order; each worker reads
 * its own block of the file. Paths accept globs.
 * @example ts.bag.readText('logs/*.txt').filter((l) => l.includes('ERROR')).count()
 */
export function readText(path: string | string[], opts: ReadTextOptions = {}): Bag<string> {
  const paths = Array.isArray(path) ? path : [path];
  if (!paths.length || paths.some((x) => typeof x !== 'string' || !x)) throw new PlanError('bag.readText() expects a path, a glob or a list of them');
  const blocksize = opts.blocksize !== undefined ? parseBytes(opts.blocksize, 'blocksize') : config().blocksize;
  const options = { blocksize, compression: opts.compression ?? 'infer', ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}) };
  return new Bag<string>({ source: { kind: 'text', spec: { format: 'text', paths, options } }, steps: [], counts: {} });
}
