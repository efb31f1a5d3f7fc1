/**
 * `describe` for line-oriented sources: files and partitions. Text has no quoting, so the
 * partitions are nominal byte ranges computed from file sizes alone; the reader of each
 * range finds its own line boundaries (range.ts). A compressed file is one partition.
 */
import { detectCompression } from '../compress.js';
import { fileSize, resolvePaths } from '../files.js';
import type { Partition, SourceInfo, SourceSpec } from '../source.js';
import { resolveLineOptions, type LineOptions } from './options.js';

/**
 * Partitions of `files` in file order: ranges of about `blocksize` bytes, one per
 * compressed file, one (empty) range per empty file.
 * @throws IOError naming a file that is missing or a directory.
 * @example await linePartitions(['a.txt'], resolveLineOptions({ blocksize: 1 << 20 }))
 */
export async function linePartitions(files: string[], o: LineOptions): Promise<Partition[]> {
  const parts: Partition[] = [];
  for (const path of files) {
    const size = await fileSize(path);
    if (detectCompression(path, o.compression) !== 'none' || size === 0) {
      parts.push({ seq: parts.length, path, start: 0, end: size, bytes: size, firstLine: 1 });
      continue;
    }
    for (let start = 0; start < size; start += o.blocksize) {
      const end = Math.min(size, start + o.blocksize);
      const p: Partition = { seq: parts.length, path, start, end, bytes: end - start };
      if (start === 0) p.firstLine = 1;
      parts.push(p);
    }
  }
  return parts;
}

/**
 * Resolves the paths of a text source and cuts it into partitions; the schema is one utf8
 * column `line`.
 * @throws IOError for a missing file, a directory, or a glob without matches.
 * @example const info = await describeText({ format: 'text', paths: ['logs/*.log'], options: {} })
 */
export async function describeText(spec: SourceSpec): Promise<SourceInfo> {
  const o = resolveLineOptions(spec.options);
  const files = await resolvePaths(spec.paths);
  return { files, schema: { line: 'utf8' }, partitions: await linePartitions(files, o) };
}
