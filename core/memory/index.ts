/** Memory accounting: the ledger, operator accounts and byte formatting. */
export { MemoryLedger, MemoryAccount, MIN_MEMORY_LIMIT, type MemoryBudget, type AccountOptions, type AccountFigures, type WaitOptions } from './ledger.js';
export { formatBytes } from './format.js';
