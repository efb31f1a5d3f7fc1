/**
 * `read` for JSON lines: the partition's whole lines (the text block code) -> one
 * `JSON.parse` per non-blank line -> values written straight into typed columns.
 *
 * Nested objects are walked only along the paths of requested columns (key-tree.ts), and
 * keys that are not columns are skipped. A key absent from a line is null.
 */
import { SchemaError } from '../../core/errors.js';
import type { Batch, Column, Schema } from '../../core/types.js';
import type { Partition, ReadOptions, SourceSpec } from '../source.js';
import { loadTextBlock } from '../text/block.js';
import { countLines } from '../text/lines.js';
import { repairUtf8 } from '../text/utf8.js';
import { columnBuilder, type ColumnBuilder } from './columns.js';
import { JsonIssue, notObject, toParseError } from './issue.js';
import { keyTree, type KeyNode } from './key-tree.js';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** True when text[i, j) holds only JSON whitespace. */
function isBlank(text: string, i: number, j: number): boolean {
  for (; i < j; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

interface Target { name: string; builder: ColumnBuilder }

/** Fills the builders from the lines of `text`; returns the number of rows. */
function parseLines(text: string, tree: Map<string, KeyNode<Target>>, builders: ColumnBuilder[]): number {
  let row = 0, lineIndex = 0, i = 0, line = '';
  const walk = (obj: Record<string, unknown>, level: Map<string, KeyNode<Target>>): void => {
    for (const key in obj) {
      const node = level.get(key);
      if (node === undefined) continue;
      const v = obj[key];
      const t = node.column;
      if (t !== undefined && !t.builder.set(row, v)) throw new JsonIssue('type', lineIndex, line, 'value does not fit its column', t.name, v);
      if (node.children !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, node.children);
    }
  };
  const n = text.length;
  while (i < n) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    if (text.charCodeAt(i) === 123 || !isBlank(text, i, j)) {
      line = text.slice(i, j);
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (e) {
        throw new JsonIssue('syntax', lineIndex, line, (e as Error).message);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw notObject(lineIndex, line, v);
      walk(v as Record<string, unknown>, tree);
      for (const b of builders) if (b.last !== row) b.setNull(row);
      row++;
    }
    lineIndex++;
    i = j + 1;
  }
  return row;
}

/**
 * Parses partition `part` of a JSON-lines source, building only `columns` (in that order)
 * with the types of `schema`.
 * @throws ParseError naming file, line, byte offset and a snippet for a malformed line or a
 *   line that is not an object, and the column, value and expected type for a value that
 *   does not fit; SchemaError for a requested column the source does not have.
 * @example const batch = await readJsonPartition(spec, info.partitions[0], ['id', 's.a'], info.schema)
 */
export async function readJsonPartition(spec: SourceSpec, part: Partition, columns: string[], schema: Schema, opts: ReadOptions = {}): Promise<Batch> {
  const unknown = columns.find((c) => !(c in schema));
  if (unknown !== undefined) throw new SchemaError(`unknown column "${unknown}"; valid columns: ${Object.keys(schema).map((n) => JSON.stringify(n)).join(', ')}`);
  const block = await loadTextBlock(spec, part);
  const { bytes, invalid } = repairUtf8(block.bytes);
  if (opts.stats) opts.stats.invalidUtf8 += invalid;
  const capacity = countLines(bytes);
  const hint = Math.ceil(bytes.length / Math.max(1, columns.length));
  const byName = new Map<string, ColumnBuilder>();
  for (const c of new Set(columns)) byName.set(c, columnBuilder(schema[c], capacity, hint));
  const tree = keyTree([...byName.keys()], (name): Target => ({ name, builder: byName.get(name)! }));
  let rows: number;
  try {
    rows = parseLines(decoder.decode(bytes), tree, [...byName.values()]);
  } catch (e) {
    if (!(e instanceof JsonIssue)) throw e;
    const issue = e.kind === 'type' ? new JsonIssue('type', e.lineIndex, e.text, e.detail, e.column, e.value, schema[e.column!]) : e;
    throw await toParseError(issue, { file: block.file, bytes: block.bytes, base: block.base, decompressed: block.decompressed, firstLine: part.start === 0 || block.decompressed ? 1 : undefined });
  }
  const out: Record<string, Column> = {};
  for (const c of columns) out[c] = byName.get(c)!.finish(rows);
  return { length: rows, columns: out };
}
