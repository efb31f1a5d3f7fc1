/** Stopping every worker pool the engine started (queries, arrays, bags and tasks). */
import { shutdown as shutdownQueryWorkers } from '../planner/scheduler/pool.js';
import { shutdownArrayWorkers } from './array/run.js';
import { shutdownBagWorkers } from './udf/run.js';

/**
 * Stops all worker threads (they also stop at process exit); the next query starts new ones.
 * @example await ts.shutdown();
 */
export async function shutdown(): Promise<void> {
  await Promise.all([shutdownQueryWorkers(), shutdownArrayWorkers(), shutdownBagWorkers()]);
}
