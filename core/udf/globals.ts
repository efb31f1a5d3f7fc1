/**
 * Names a shipped function may use without capturing anything: they exist in every worker
 * thread as well as in the coordinator.
 */

/**
 * Standard ECMAScript and Node globals. Listed, not only looked up in `globalThis`, because a
 * few (e.g. `Iterator`, `crypto`) depend on the Node version or flags, and the list documents
 * what is certainly available in a worker.
 * @example STANDARD_GLOBALS.has('JSON') // true
 */
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
  'globalThis', 'undefined', 'NaN', 'Infinity', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Object', 'Function', 'Boolean', 'Symbol', 'Number', 'BigInt', 'Math', 'Date', 'String', 'RegExp', 'Array',
  'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'JSON', 'Promise', 'Proxy', 'Reflect', 'Intl', 'Iterator',
  'console', 'structuredClone', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'setImmediate', 'clearImmediate', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'AbortController',
  'AbortSignal', 'Blob', 'Buffer', 'process', 'performance', 'crypto', 'fetch', 'atob', 'btoa',
]);

/**
 * True when `name` resolves to a global in a worker thread.
 * @example isGlobalName('Math') // true
 * @example isGlobalName('k')    // false (unless something defined globalThis.k)
 */
export function isGlobalName(name: string): boolean {
  return STANDARD_GLOBALS.has(name) || name in globalThis;
}
