/** Bad input to the Parquet reader: typed errors that name the file, never a crash or a hang. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IOError, NotImplementedError, ParseError, SchemaError } from '../../../core/errors.js';
import { parquetReader } from '../../../io/parquet/index.js';
import type { SourceSpec } from '../../../io/source.js';
import { duck } from '../../util/duck.js';
import { sqlString, tempDir } from './util.js';

const dir = tempDir('pq-errors');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const spec = (path: string, options: SourceSpec['options'] = {}): SourceSpec => ({ format: 'parquet', paths: [path], options });
const good = join(dir, 'good.parquet');

async function readEverything(path: string): Promise<void> {
  const info = await parquetReader.describe(spec(path));
  for (const p of info.partitions) await parquetReader.read(spec(path), p, Object.keys(info.schema), info.schema);
}

async function parseErrorOf(path: string): Promise<ParseError> {
  const e = await readEverything(path).then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ParseError);
  expect((e as ParseError).file).toBe(path);
  expect((e as ParseError).message).toContain(path);
  return e as ParseError;
}

beforeAll(async () => {
  await duck(`COPY (SELECT i::BIGINT a, 'k' || (i % 50)::VARCHAR s, i * 0.5 f FROM range(20000) t(i))
    TO ${sqlString(good)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 5000)`);
});

describe('Parquet reader errors', () => {
  it('empty file, not-a-parquet file, truncated file: ParseError naming the file', async () => {
    const empty = join(dir, 'empty.parquet');
    writeFileSync(empty, '');
    expect((await parseErrorOf(empty)).message).toMatch(/empty/);

    const text = join(dir, 'text.parquet');
    writeFileSync(text, 'a,b\n1,2\n'.repeat(100));
    expect((await parseErrorOf(text)).message).toMatch(/not a Parquet file/);

    const bytes = readFileSync(good);
    for (const keep of [bytes.length - 1, bytes.length - 100, Math.floor(bytes.length / 2), 6]) {
      const cut = join(dir, `cut-${keep}.parquet`);
      writeFileSync(cut, bytes.subarray(0, keep));
      await parseErrorOf(cut);
    }
  });

  it('a footer that points past the end of the file: ParseError, not a short read', async () => {
    // keep the footer, drop the data before it: every column chunk now lies outside the file
    const bytes = readFileSync(good);
    const metaLen = bytes.readUInt32LE(bytes.length - 8);
    const footer = bytes.subarray(bytes.length - 8 - metaLen);
    const f = join(dir, 'footer-only.parquet');
    writeFileSync(f, Buffer.concat([Buffer.from('PAR1'), footer]));
    await parseErrorOf(f);
  });

  it('corrupted bytes anywhere in the data give ParseError or valid values, never another error', async () => {
    const bytes = readFileSync(good);
    const metaLen = bytes.readUInt32LE(bytes.length - 8);
    const dataEnd = bytes.length - 8 - metaLen;
    let parseErrors = 0;
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    for (let trial = 0; trial < 60; trial++) {
      const copy = Buffer.from(bytes);
      const at = 4 + Math.floor(rand() * (dataEnd - 4 - 16));
      for (let k = 0; k < 1 + Math.floor(rand() * 12); k++) copy[at + k] = Math.floor(rand() * 256);
      const f = join(dir, `corrupt-${trial}.parquet`);
      writeFileSync(f, copy);
      const e = await readEverything(f).then(() => undefined, (x: unknown) => x);
      if (e !== undefined) {
        expect(e, String(e)).toBeInstanceOf(ParseError);
        expect((e as ParseError).file).toBe(f);
        parseErrors++;
      }
    }
    expect(parseErrors).toBeGreaterThan(10);
  });

  it('a corrupt footer: ParseError', async () => {
    const bytes = Buffer.from(readFileSync(good));
    const metaLen = bytes.readUInt32LE(bytes.length - 8);
    const start = bytes.length - 8 - metaLen;
    for (let k = 0; k < 40; k++) bytes[start + 10 + k] = 0xff;
    const f = join(dir, 'bad-footer.parquet');
    writeFileSync(f, bytes);
    await parseErrorOf(f);
  });

  it('missing file or directory: IOError naming the path', async () => {
    const missing = join(dir, 'nope.parquet');
    const e = await parquetReader.describe(spec(missing)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IOError);
    expect((e as IOError).path).toBe(missing);
    const d = await parquetReader.describe(spec(dir)).catch((x: unknown) => x);
    expect(d).toBeInstanceOf(IOError);
  });

  it('unknown column in the columns option: SchemaError listing the valid ones', async () => {
    const e = await parquetReader.describe(spec(good, { columns: ['a', 'zzz'] })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SchemaError);
    expect((e as Error).message).toMatch(/"zzz".*a, s, f/);
  });

  it('nested columns: NotImplementedError naming the column, avoidable with the columns option', async () => {
    const f = join(dir, 'nested.parquet');
    await duck(`COPY (SELECT i::INTEGER a, [i, i + 1] l FROM range(10) t(i)) TO ${sqlString(f)} (FORMAT parquet)`);
    const e = await parquetReader.describe(spec(f)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotImplementedError);
    expect((e as Error).message).toMatch(/"l"/);
    const info = await parquetReader.describe(spec(f, { columns: ['a'] }));
    expect(info.schema).toEqual({ a: 'int32' });
    const b = await parquetReader.read(spec(f, { columns: ['a'] }), info.partitions[0], ['a'], info.schema);
    expect(Array.from(b.columns.a.values)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('several files must share a schema', async () => {
    const other = join(dir, 'other.parquet');
    await duck(`COPY (SELECT 'x' a FROM range(3)) TO ${sqlString(other)} (FORMAT parquet)`);
    const e = await parquetReader.describe({ format: 'parquet', paths: [good, other], options: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SchemaError);
    const ok = await parquetReader.describe({ format: 'parquet', paths: [good, good], options: {} });
    expect(ok.partitions.map((p) => p.seq)).toEqual([...Array(ok.partitions.length).keys()]);
  });
});

describe('partitions that carry their footer facts', () => {
  it('are read without the footer while the file is unchanged, and from the new footer once it changed', async () => {
    const f = join(dir, 'changing.parquet');
    writeFileSync(f, readFileSync(good));
    const info = await parquetReader.describe(spec(f));
    const [p0, part] = info.partitions;
    expect(part.footer?.chunks.a.leaf.name).toBe('a');
    const b = await parquetReader.read(spec(f), part, ['a'], info.schema);
    expect(Array.from(b.columns.a.values as Float64Array).slice(0, 2)).toEqual([p0.rows, p0.rows! + 1]);
    // the facts alone locate the chunks: given row group 0's facts, partition 1 reads row group 0
    const swapped = { ...part, rows: p0.rows, footer: { ...part.footer!, chunks: p0.footer!.chunks } };
    const c = await parquetReader.read(spec(f), swapped, ['a'], info.schema);
    expect(Array.from(c.columns.a.values as Float64Array).slice(0, 2)).toEqual([0, 1]);
    // rewritten (another size): the facts no longer hold, the current footer is read instead
    await duck(`COPY (SELECT (i + 100)::BIGINT a, 'x' s, 0.0 f FROM range(30000) t(i)) TO ${sqlString(f)} (FORMAT parquet, ROW_GROUP_SIZE 4000)`);
    const now = await parquetReader.describe(spec(f));
    const again = await parquetReader.read(spec(f), part, ['a'], info.schema);
    expect(again.length).toBe(now.partitions[1].rows);
    expect(Array.from(again.columns.a.values as Float64Array).slice(0, 2)).toEqual([100 + now.partitions[0].rows!, 101 + now.partitions[0].rows!]);
  });
});
