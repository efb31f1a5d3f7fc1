/** Streams batches into a file sink; on any error the temporary file is removed and the target untouched. */
import type { Batch, Schema } from './types.js';
import type { Sink } from '../io/sinks/sink.js';




export type WriteFormat = 'parquet' | 'arrow' | 'csv';

export async function writeStream(format: WriteFormat, path: string, schema: Schema, batches: AsyncIterable<Batch>, opts: object): Promise<void> {
  const o = opts as Record<string, unknown>;
  // sinks load on first use: most queries never write
  const sink: Sink = format === 'parquet' ? await (await import('../io/sinks/parquet.js')).openParquetSink(path, schema, o)
    : format === 'arrow' ? await (await import('../io/sinks/arrow.js')).openArrowSink(path, schema, o)
    : await (await import('../io/sinks/csv.js')).openCsvSink(path, schema, o);
  try {
    for await (const b of batches) if (b.length > 0) await sink.write(b);
    await sink.close();
  } catch (e) {
    await sink.abort().catch(() => undefined);
    throw e;
  }
}
