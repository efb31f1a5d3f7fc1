/**
 * Every live spill directory of the process, removed when the process exits or is stopped
 * by SIGINT/SIGTERM, so an interrupted query leaves nothing in the temp directory. The
 * handlers are installed only while a spill directory exists: Node's default on a signal is
 * to exit, and merely listening would cancel it.
 */

/**
 * What the registry needs from a spill directory.
 * @example const d: LiveDir = await SpillDir.open(os.tmpdir())
 */
export interface LiveDir { readonly path: string; cleanupSync(): void }

const live = new Set<LiveDir>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Sig = (typeof SIGNALS)[number];
let installed = false;

function removeAll(): void {
  for (const d of [...live]) {
    try { d.cleanupSync(); } catch { /* best effort while exiting */ }
  }
  live.clear();
}

const onExit = (): void => removeAll();

const onSignal: Record<Sig, () => void> = {
  SIGINT: () => reRaise('SIGINT'),
  SIGTERM: () => reRaise('SIGTERM'),
};

function reRaise(sig: Sig): void {
  removeAll();
  uninstall();
  // the default action (terminate with the signal's status) only happens with no listener;
  // if the application listens too, the signal is its business
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal[s]);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal[s]);
}

/**
 * Tracks a spill directory until {@link unregisterSpillDir}; installs the exit and signal
 * handlers with the first one.
 * @example registerSpillDir({ path, cleanupSync: () => rmSync(path, { recursive: true, force: true }) })
 */
export function registerSpillDir(d: LiveDir): void {
  live.add(d);
  install();
}

/**
 * Stops tracking a spill directory (it has been removed); the handlers go with the last one.
 * @example unregisterSpillDir(dir)
 */
export function unregisterSpillDir(d: LiveDir): void {
  live.delete(d);
  if (live.size === 0) uninstall();
}

/**
 * Paths of the spill directories currently alive in this process.
 * @example liveSpillDirs() // ['/tmp/tessera-spill-a1B2c3']
 */
export function liveSpillDirs(): string[] {
  return [...live].map((d) => d.path);
}
