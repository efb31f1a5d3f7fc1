/** Spilling to disk: private spill directories of compressed Arrow IPC block files. */
export { SpillDir, type SpillOptions, type SpillEvent } from './spill-dir.js';
export { SpillFile, type SpillWrite } from './spill-file.js';
export { liveSpillDirs } from './registry.js';
export { spillFullError, baseDirError, type SpillResourceError } from './errors.js';
export { spillDirFactory, emptySpillMetrics, addDirFigures, type SpillDirFactory, type SpillMetrics } from './factory.js';
