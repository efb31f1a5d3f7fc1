/** Hash join kernels: the build table and probe, output assembly, the grace (spilling) join, hash partitioning. */
export { buildJoinTable, probe, unmatched, type JoinTable, type JoinPairs, type JoinHow } from './join-table.js';
export { joinBatches, joinedNames, takeOrNull, nullColumn, type AssembleOptions } from './assemble.js';
export { graceJoin, type GraceJoinOptions } from './grace-join.js';
export { hashKeyRows, nullKeyRows, keyColumns, checkKeyTypes, partitionSeed } from './key-hash.js';
export { partitionIds, splitByPartition, type NullKeys } from './partition.js';
