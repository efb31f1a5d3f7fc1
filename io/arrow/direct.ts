/**
 * The direct path for a record batch of flat, uncompressed, dictionary-free columns: the
 * batch's message is read into one fresh buffer and each requested column's buffers are
 * taken as views of it (apache-arrow's reader would first need the schema message and the
 * batch concatenated into another buffer). Anything else returns undefined and goes through
 * apache-arrow's reader.
 */
import * as arrow from 'apache-arrow';
import { Message } from 'apache-arrow/ipc/metadata/message';
import { arrowDataToColumn } from '../../core/arrow.js';
import type { Batch, Column } from '../../core/types.js';

/** Buffers a flat field occupies in a record batch body, or undefined for layouts this path does not take. */
function bufferCount(t: arrow.DataType): number | undefined {
  switch (t.typeId) {
    case arrow.Type.Int: case arrow.Type.Float: case arrow.Type.Bool: case arrow.Type.Date:
    case arrow.Type.Time: case arrow.Type.Timestamp: case arrow.Type.Decimal: case arrow.Type.FixedSizeBinary:
    case arrow.Type.Interval: case arrow.Type.Duration:
      return 2;
    case arrow.Type.Utf8: case arrow.Type.Binary: case arrow.Type.LargeUtf8: case arrow.Type.LargeBinary:
      return 3;
    default:
      return undefined;
  }
}

/**
 * Decodes `columns` of the record batch whose whole message (prefix, metadata, body) is
 * `msg`, or undefined when the batch or schema is outside this path (compressed bodies,
 * nested or dictionary-encoded fields). Throws on inconsistent metadata. With `keepViews`
 * (bytes the caller owns for the task) every fixed-width column is a view of `msg`.
 * @example const b = decodeDirect(await readRange(fh, path, r.start, r.end - r.start), index.schema, ['x']);
 */
export function decodeDirect(msg: Uint8Array, schema: arrow.Schema, columns: string[], keepViews = false): Batch | undefined {
  const counts = schema.fields.map((f) => bufferCount(f.type));
  if (counts.some((c) => c === undefined)) return undefined;
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const first = view.getInt32(0, true);
  const prefix = first === -1 ? 8 : 4;
  const metaLen = first === -1 ? view.getInt32(4, true) : first;
  const message = Message.decode(msg.subarray(prefix, prefix + metaLen));
  if (!message.isRecordBatch()) throw new Error(`message type ${message.headerType} where a record batch was expected`);
  const header = message.header();
  if (header.compression) return undefined;
  const bodyStart = msg.byteOffset + prefix + metaLen;
  const bodyLength = Number(message.bodyLength);
  if (bodyStart + bodyLength > msg.byteOffset + msg.byteLength) throw new Error(`record batch body of ${bodyLength} bytes runs past the end of the message`);
  const nodes = header.nodes, buffers = header.buffers, rows = Number(header.length);
  const out: Record<string, Column> = {};
  let b = 0;
  for (const [i, field] of schema.fields.entries()) {
    const count = counts[i]!;
    if (columns.includes(field.name)) {
      const node = nodes[i];
      if (!node || b + count > buffers.length) throw new Error(`record batch metadata lists too few field nodes or buffers for column "${field.name}"`);
      const region = (k: number): Uint8Array => {
        const r = buffers[b + k], off = Number(r.offset), len = Number(r.length);
        if (off < 0 || off + len > bodyLength) throw new Error(`buffer ${b + k} of column "${field.name}" lies outside the record batch body`);
        return new Uint8Array(msg.buffer, bodyStart + off, len);
      };
      const nullCount = Number(node.nullCount), length = Number(node.length);
      if (length !== rows) throw new Error(`column "${field.name}" holds ${length} rows, the record batch ${rows}`);
      const nullBitmap = nullCount > 0 ? region(0) : undefined;
      const data = count === 3
        ? arrow.makeData({ type: field.type as arrow.Utf8, length, nullCount, nullBitmap, valueOffsets: region(1), data: region(2) })
        : arrow.makeData({ type: field.type as arrow.Int, length, nullCount, nullBitmap, data: region(1) });
      out[field.name] = arrowDataToColumn(data as arrow.Data, keepViews);
    }
    b += count;
  }
  return { length: rows, columns: out };
}
