/** The typed errors of spilling: a bad spill location, a full disk, an unreadable block. */
import { IOError, ResourceError } from '../../core/errors.js';

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * The error for a spill base directory that cannot hold a spill directory.
 * @example throw baseDirError('/mnt/full', err)
 */
export function baseDirError(base: string, cause: unknown): IOError | ResourceError {
  const code = codeOf(cause);
  if (code === 'ENOSPC' || code === 'EDQUOT') return spillFullError(base, cause);
  const why =
    code === 'ENOENT' ? 'does not exist' :
    code === 'ENOTDIR' ? 'is not a directory' :
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'is not writable' :
    `cannot hold a spill directory (${(cause as Error)?.message ?? String(cause)})`;
  return new IOError(`spill directory ${base} ${why}; set spillDir to a writable directory with free space (ts.config({ spillDir: '/path' }))`, base, { cause });
}

/**
 * A ResourceError carrying the path it is about (ResourceError itself has no path field).
 * @example catch (e) { if (e instanceof ResourceError) console.error((e as SpillResourceError).path) }
 */
export type SpillResourceError = ResourceError & { path: string };

/**
 * The error for a failed spill write: the disk (or quota) is full, or the write failed
 * otherwise; names the file and the settings that move or avoid the spill.
 * @example throw spillFullError('/tmp/tessera-spill-x/3-run.spill', err)
 */
export function spillFullError(path: string, cause: unknown): SpillResourceError {
  const code = codeOf(cause);
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  const what = full
    ? `spill directory full (${code}) writing ${path}`
    : `spill directory full or failing: writing ${path} failed (${code ?? (cause as Error)?.message ?? String(cause)})`;
  const e = new ResourceError(`${what}; free space, set spillDir to a larger disk (ts.config({ spillDir })) or raise memoryLimit so less is spilled`, { cause }) as SpillResourceError;
  e.path = path;
  return e;
}

/**
 * The error for a spill file that cannot be read back (truncated or corrupt).
 * @example throw spillReadError(file.path, offset, err)
 */
export function spillReadError(path: string, offset: number, cause: unknown): IOError {
  return new IOError(`cannot read spill file ${path} at byte ${offset}: ${(cause as Error)?.message ?? String(cause)}`, path, { cause });
}
