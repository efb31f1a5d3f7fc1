/**
 * Where the messages of an Arrow IPC file are, without reading their bodies.
 *
 * File format: the footer lists every record batch and dictionary batch block. Stream format:
 * the message headers are walked one after another (prefix, flatbuffer metadata, body
 * length) and only the headers are read. Either way a record batch can later be decoded by
 * reading just its own bytes plus the dictionaries it may refer to.
 *
 * Indexes are cached per process by (path, size, mtime), so a worker reading batch after
 * batch of the same file walks it once.
 */
import { stat } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { Message } from 'apache-arrow/ipc/metadata/message';
import { IOError, ParseError, TesseraError } from '../../core/errors.js';
import { openFile, readRange, type OpenFile } from '../parquet/file.js';

/** A byte range [start, end) of one whole IPC message (prefix, metadata and body). */
export interface MessageRange { start: number; end: number }

/** Where the schema, dictionary batches and record batches of one IPC file are. */
export interface IpcIndex {
  format: 'file' | 'stream';
  schema: arrow.Schema;
  /** the schema message (stream format: as stored; file format: encoded from the footer) */
  schemaMessage: Uint8Array;
  dictionaries: MessageRange[];
  batches: (MessageRange & { rows: number })[];
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

function isMagic(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 6; i++) if (b[at + i] !== MAGIC[i]) return false;
  return true;
}

/** Parses a message prefix: [0xFFFFFFFF][int32 length] or the pre-1.0 [int32 length]. */
function prefixOf(b: Uint8Array): { prefix: number; metaLen: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const first = v.getInt32(0, true);
  if (first === -1) return { prefix: 8, metaLen: b.length >= 8 ? v.getInt32(4, true) : 0 };
  return { prefix: 4, metaLen: first };
}

/** Decodes the metadata of the message whose first bytes (prefix + metadata) are `head`. */
function decodeHeader(head: Uint8Array, prefix: number): Message {
  return Message.decode(head.subarray(prefix));
}

/** Encodes a schema as a stream-format schema message, with arrow's own writer. */
function schemaMessageOf(schema: arrow.Schema): Uint8Array {
  const parts: Uint8Array[] = [];
  class Collect extends arrow.AsyncByteQueue { override write(v: ArrayBufferView | ArrayBuffer | string): void { parts.push(arrow.util.toUint8Array(v as ArrayBufferView).slice()); } }
  const w = new arrow.RecordBatchStreamWriter();
  w.reset(new Collect() as unknown as arrow.AsyncByteQueue, schema);
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

async function indexFile(fh: OpenFile, path: string, size: number): Promise<IpcIndex> {
  const bad = (why: string, offset?: number) => new ParseError(`${path}: ${why}`, { file: path, offset });
  if (size < 18) throw bad(`truncated Arrow IPC file: ${size} bytes cannot hold the header magic, a footer and the trailing magic`, 0);
  const tail = await readRange(fh, path, size - 10, 10);
  if (!isMagic(tail, 4)) throw bad('truncated or corrupt Arrow IPC file: the "ARROW1" magic is missing at the end', size - 6);
  const footerLen = new DataView(tail.buffer).getInt32(0, true);
  if (footerLen <= 0 || footerLen > size - 18) throw bad(`corrupt Arrow IPC footer length ${footerLen}`, size - 10);
  const footerBytes = await readRange(fh, path, size - 10 - footerLen, footerLen);
  let footer: InstanceType<typeof Footer>;
  try {
    footer = Footer.decode(footerBytes);
  } catch (e) {
    throw new ParseError(`${path}: corrupt Arrow IPC footer: ${(e as Error).message}`, { file: path, offset: size - 10 - footerLen }, { cause: e });
  }
  const limit = size - 10 - footerLen;
  const range = (b: { offset: number; metaDataLength: number; bodyLength: number }, what: string): MessageRange => {
    const start = Number(b.offset), meta = b.metaDataLength, body = Number(b.bodyLength);
    const end = start + meta + body;
    if (!(start >= 8 && meta > 0 && body >= 0 && end <= limit)) throw bad(`corrupt Arrow IPC footer: ${what} at bytes ${start}..${end} lies outside the data`, start);
    return { start, end };
  };
  const dictionaries = [...footer.dictionaryBatches()].map((b) => range(b, 'dictionary batch'));
  const batches: IpcIndex['batches'] = [];
  let i = 0;
  for (const b of footer.recordBatches()) {
    const r = range(b, `record batch ${i}`);
    const head = await readRange(fh, path, r.start, b.metaDataLength);
    let rows: number;
    try {
      const { prefix } = prefixOf(head);
      const msg = decodeHeader(head, prefix);
      if (!msg.isRecordBatch()) throw new Error(`message type ${msg.headerType} where a record batch was expected`);
      rows = msg.header().length;
    } catch (e) {
      throw new ParseError(`${path}: corrupt Arrow IPC record batch ${i} header: ${(e as Error).message}`, { file: path, offset: r.start }, { cause: e });
    }
    batches.push({ ...r, rows });
    i++;
  }
  let schemaMessage: Uint8Array;
  try {
    schemaMessage = schemaMessageOf(footer.schema);
  } catch (e) {
    throw new ParseError(`${path}: cannot re-encode the Arrow schema: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  return { format: 'file', schema: footer.schema, schemaMessage, dictionaries, batches };
}

async function indexStream(fh: OpenFile, path: string, size: number): Promise<IpcIndex> {
  let pos = 0;
  let schema: arrow.Schema | undefined;
  let schemaMessage: Uint8Array | undefined;
  const dictionaries: MessageRange[] = [];
  const batches: IpcIndex['batches'] = [];
  while (pos + 4 <= size) {
    const pre = await readRange(fh, path, pos, Math.min(8, size - pos));
    const { prefix, metaLen } = prefixOf(pre);
    if (metaLen === 0) break; // end-of-stream marker
    if (metaLen < 0 || pos + prefix + metaLen > size) {
      throw new ParseError(`${path}: ${schema ? 'truncated or corrupt' : 'not an'} Arrow IPC stream: message at byte ${pos} declares ${metaLen} metadata bytes, the file has ${size - pos} left`, { file: path, offset: pos });
    }
    const head = await readRange(fh, path, pos, prefix + metaLen);
    let msg: Message;
    try {
      msg = decodeHeader(head, prefix);
    } catch (e) {
      throw new ParseError(`${path}: ${schema ? 'corrupt' : 'not an'} Arrow IPC stream: unreadable message header at byte ${pos} (${(e as Error).message})`, { file: path, offset: pos }, { cause: e });
    }
    const body = Number(msg.bodyLength);
    if (!(body >= 0)) throw new ParseError(`${path}: corrupt Arrow IPC stream: message at byte ${pos} has body length ${body}`, { file: path, offset: pos });
    const end = pos + prefix + metaLen + body;
    if (!(end <= size)) throw new ParseError(`${path}: truncated Arrow IPC stream: message at byte ${pos} needs ${end - pos} bytes, the file has ${size - pos} left`, { file: path, offset: pos });
    if (msg.isSchema()) {
      if (schema) throw new ParseError(`${path}: Arrow IPC stream holds a second schema at byte ${pos}`, { file: path, offset: pos });
      schema = msg.header();
      schemaMessage = head;
    } else if (!schema) {
      throw new ParseError(`${path}: not an Arrow IPC stream: the first message is not a schema`, { file: path, offset: pos });
    } else if (msg.isDictionaryBatch()) {
      dictionaries.push({ start: pos, end });
    } else if (msg.isRecordBatch()) {
      batches.push({ start: pos, end, rows: msg.header().length });
    }
    pos = end;
  }
  if (!schema || !schemaMessage) throw new ParseError(`${path}: not an Arrow IPC file or stream (no schema message)`, { file: path, offset: 0 });
  return { format: 'stream', schema, schemaMessage, dictionaries, batches };
}

interface Cached { size: number; mtimeMs: number; index: IpcIndex }
const cache = new Map<string, Cached>();
const CACHE_MAX = 32;

/**
 * The message index of an Arrow IPC file (either format), from the cache when unchanged.
 * @throws IOError for a missing file; ParseError naming the file when it is empty,
 *   truncated or not Arrow IPC.
 */
export async function ipcIndex(path: string): Promise<IpcIndex> {
  let st;
  try { st = await stat(path); } catch (e) { throw new IOError(`cannot access ${path}: ${(e as Error).message}`, path, { cause: e }); }
  if (st.isDirectory()) throw new IOError(`${path} is a directory, not an Arrow IPC file`, path);
  const hit = cache.get(path);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.index;
  const size = st.size;
  if (size === 0) throw new ParseError(`${path}: empty file, not an Arrow IPC file`, { file: path, offset: 0 });
  if (size < 8) throw new ParseError(`${path}: ${size} bytes is too short for an Arrow IPC file`, { file: path, offset: 0 });
  const fh = await openFile(path);
  try {
    const head = await readRange(fh, path, 0, 6);
    let index: IpcIndex;
    try {
      index = isMagic(head, 0) ? await indexFile(fh, path, size) : await indexStream(fh, path, size);
    } catch (e) {
      // apache-arrow's flatbuffer accessors throw plain errors on garbage (bad offsets, huge integers)
      if (e instanceof TesseraError) throw e;
      throw new ParseError(`${path}: corrupt Arrow IPC data: ${(e as Error).message}`, { file: path }, { cause: e });
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(path, { size: st.size, mtimeMs: st.mtimeMs, index });
    return index;
  } finally {
    await fh.close();
  }
}
