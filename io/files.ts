/**
 * Turning the paths and globs a user wrote into the list of files a source reads.
 *
 * Node 20 has no `fs.glob`, so globs are matched here: `*` and `?` within one path segment,
 * `**` across any number of directories. Results are sorted so that partition order (and
 * with it row order) does not depend on the order the file system lists entries in.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { IOError } from '../core/errors.js';

const GLOB_CHARS = /[*?]/;

/**
 * True when a path contains glob syntax (`*`, `?` or `**`).
 * @example isGlob('data/*.csv') // true
 */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * Expands paths and globs into existing regular files, in a deterministic order: patterns
 * in the order given, the matches of each glob sorted; a file named twice is listed once.
 *
 * @throws IOError naming the path when a plain path does not exist ("no such file") or is a
 *   directory ("is a directory"), or when a glob matches no file.
 * @example await resolvePaths(['data/2024-*.csv', 'extra.csv'])
 */
export async function resolvePaths(patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => { if (!seen.has(p)) { seen.add(p); out.push(p); } };
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      await checkFile(pattern);
      add(pattern);
      continue;
    }
    const matches = await expandGlob(pattern);
    if (matches.length === 0) throw new IOError(`no files match "${pattern}"`, pattern);
    matches.sort(comparePaths);
    for (const m of matches) add(m);
  }
  return out;
}

/**
 * Size in bytes of a regular file.
 * @throws IOError naming the path when it is missing or a directory.
 * @example const n = await fileSize('data.csv')
 */
export async function fileSize(path: string): Promise<number> {
  return (await checkFile(path)).size;
}

async function checkFile(path: string): Promise<{ size: number }> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new IOError(`no such file: ${path}`, path, { cause: e });
    if (code === 'EACCES' || code === 'EPERM') throw new IOError(`permission denied: ${path}`, path, { cause: e });
    throw new IOError(`cannot access ${path}: ${(e as Error).message}`, path, { cause: e });
  }
  if (st.isDirectory()) throw new IOError(`${path} is a directory; give a file or a glob such as ${join(path, '*')}`, path);
  if (!st.isFile()) throw new IOError(`${path} is not a regular file`, path);
  return { size: st.size };
}

/** Byte-wise comparison, so the order is the same whatever the locale. */
function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function expandGlob(pattern: string): Promise<string[]> {
  const normalized = sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  const segments = normalized.split('/');
  // a trailing `**` means every file below
  if (segments[segments.length - 1] === '**') segments.push('*');
  // the literal leading segments name the directory the walk starts from
  let i = 0;
  while (i < segments.length - 1 && !isGlob(segments[i])) i++;
  const base = segments.slice(0, i).join('/') || (normalized.startsWith('/') ? '/' : '.');
  const rest = segments.slice(i).map((s) => (s === '**' ? null : segmentRegExp(s)));
  const out: string[] = [];
  const prefix = i === 0 ? '' : segments.slice(0, i).join('/') || '/';
  await walk(base, prefix, rest, out);
  return out;
}

/** `null` stands for `**`. */
type Seg = RegExp | null;

async function walk(dir: string, shown: string, rest: Seg[], out: string[]): Promise<void> {
  if (rest.length === 0) return;
  const [head, ...tail] = rest;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable or vanished directory simply contributes no matches
  }
  const shownPath = (name: string) => (shown === '' ? name : shown.endsWith('/') ? shown + name : `${shown}/${name}`);
  if (head === null) {
    // `**` matches zero directories (try the rest here) or descends one more level
    await walk(dir, shown, tail, out);
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (await isDir(join(dir, e.name), e)) await walk(join(dir, e.name), shownPath(e.name), rest, out);
    }
    return;
  }
  for (const e of entries) {
    if (!head.test(e.name)) continue;
    const full = join(dir, e.name);
    if (tail.length === 0) {
      if (await isFile(full, e)) out.push(shownPath(e.name));
    } else if (await isDir(full, e)) {
      await walk(full, shownPath(e.name), tail, out);
    }
  }
}

interface DirentLike { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }

async function isDir(path: string, e: DirentLike): Promise<boolean> {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try { return (await stat(path)).isDirectory(); } catch { return false; }
}

async function isFile(path: string, e: DirentLike): Promise<boolean> {
  if (e.isFile()) return true;
  if (!e.isSymbolicLink()) return false;
  try { return (await stat(path)).isFile(); } catch { return false; }
}

/** One path segment of a glob as an anchored RegExp; hidden names match only an explicit leading dot. */
function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const hidden = seg.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${hidden}${re}$`, 's');
}
