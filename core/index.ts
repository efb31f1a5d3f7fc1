/**
 * Tessera: an out-of-core, chunked dataframe engine over Apache Arrow batches.
 * @example
 * import * as ts from 'tessera';
 * const t = await ts.readCsv('big.csv').groupBy('id1').agg({ v1: ts.col('v1').sum() }).collect();
 */
export { config, parseBytes, type Settings, type SettingsInput, type SchedulerName } from './config.js';
export { TesseraError, SchemaError, PlanError, ParseError, IOError, ResourceError, WorkerError, NotImplementedError } from './errors.js';
export { Expr, StrNamespace, col, lit, count, when, scan, type ExprLike } from './expr/expr.js';
export { LazyFrame, GroupBy, type ExplainOptions } from './lazyframe.js';
export { readCsv, readParquet, readArrow, fromArrow, fromColumns, type ReadCsvOptions } from './sources.js';
export { compute, type ComputeResult, type ComputedValue } from './compute.js';
export { events, type EngineEvent } from './events.js';
export type { QueryMetrics, RunOptions } from './query.js';
export type { DType, Schema } from './types.js';
export { toRows } from './rows.js';
export { startWorkers, type StartOptions } from './start.js';
export { shutdown } from './shutdown.js';
export { formatTable } from './print.js';
export * as array from './array/index.js';
import { randomStream } from './array/random-stream.js';
/**
 * Independent reproducible random streams for tasks: `ts.random.stream(seed, i)` gives stream i.
 * @example const r = ts.random.stream(42, 7); r.uniform(); r.normal();
 */
export const random = { stream: randomStream };
export { bag, Bag, BagItem, type BagRunOptions, type FnOptions, type KeyArg } from './bag/index.js';
export { delayed, map, Task, isComputable, type DelayedOptions, type MapOptions } from './delayed/index.js';
export { readText, readJson, type ReadTextOptions, type ReadJsonOptions } from './text-sources.js';
