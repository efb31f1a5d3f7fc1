/** Thread body for describe-sync.ts. */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { readerFor } from './registry.js';
import { serializeError } from '../core/errors.js';
import type { SourceSpec } from './source.js';

const { spec, signal, port } = workerData as { spec: SourceSpec; signal: Int32Array; port: MessagePort };
try {
  const info = await (await readerFor(spec.format)).describe(spec);
  port.postMessage({ info });
} catch (e) {
  port.postMessage({ error: serializeError(e) });
}
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
