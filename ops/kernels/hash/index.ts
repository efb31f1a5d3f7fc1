/** Hashing and key tables shared by aggregation, distinct counting, sort ranking and joins. */
export { fmix, hashBytes, hashNumber, mixWord, tailWord } from './hash.js';
export { createGroupTable, type GroupTable } from './key-table.js';
export { SingleKeyTable } from './single-key-table.js';
export { MultiKeyTable } from './multi-key-table.js';
export { NumKeyStore, Utf8KeyStore } from './key-store.js';
export { ensureCapacity, asFloat64 } from './grow.js';
