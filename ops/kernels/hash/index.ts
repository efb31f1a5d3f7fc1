/** Hashing and key tables shared by aggregation, distinct counting, sort ranking and joins. */
export { fmix, hashBytes, hashNumber, combineHash, NULL_HASH } from './hash.js';
export { KeyTable } from './key-table.js';
export { keyStoreFor, NumKeyStore, Utf8KeyStore, type KeyStore } from './key-store.js';
export { ensureCapacity, ensureCapacityFilled, asFloat64 } from './grow.js';
