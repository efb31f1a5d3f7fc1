/**
 * Runs a reader's async `describe` synchronously: a short-lived worker thread does the work
 * while this thread blocks on Atomics.wait, then the answer is taken from the port with
 * receiveMessageOnPort. Used by the synchronous `explain()`.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { SourceInfo, SourceSpec } from './source.js';
import { distFile } from '../core/paths.js';
import { deserializeError, type SerializedError } from '../core/errors.js';

export function describeSync(spec: SourceSpec): SourceInfo {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(distFile('io/describe-worker.js'), { workerData: { spec, signal, port: port2 }, transferList: [port2] });
  try {
    while (Atomics.wait(signal, 0, 0, 60_000) === 'timed-out') { /* keep waiting: describe of a huge CSV may take a while */ }
    const msg = receiveMessageOnPort(port1)?.message as { info?: SourceInfo; error?: SerializedError } | undefined;
    if (!msg) throw new Error('describe worker ended without an answer');
    if (msg.error) throw deserializeError(msg.error);
    return msg.info!;
  } finally {
    port1.close();
    void w.terminate();
  }
}
