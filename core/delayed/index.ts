/**
 * Task parallelism (dask.delayed-like): lazy calls forming a graph, and a parallel map.
 * @example
 * import * as ts from 'tessera';
 * const load = ts.delayed((i: number) => i * 2);
 * const sum = ts.delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0));
 * const [total] = await ts.compute(sum([load(1), load(2), load(3)])); // 12
 * const squares = await ts.map((x: number) => x * x, [1, 2, 3]);
 */
export { delayed, Task, type DelayedOptions } from './task.js';
export { map, type MapOptions } from './map.js';
export { computeAll, isComputable, type Computable } from './compute-all.js';
export { computeTasks } from './graph.js';
