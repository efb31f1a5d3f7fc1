/** Taking and slicing rows keep a dictionary-encoded column encoded, with its own type. */
import { describe, expect, it } from 'vitest';
import type { Column } from '../../../core/types.js';
import { utf8FromStrings, valueAt } from '../../../ops/column/build.js';
import { plain } from '../../../ops/column/dict.js';
import { sliceColumn, takeColumn } from '../../../ops/column/take.js';

const numeric: Column = { type: 'int32', length: 5, values: Int32Array.of(2, 0, 1, 2, 0), nullCount: 1, valid: Uint8Array.of(1, 1, 0, 1, 1), dictionary: { type: 'int32', length: 3, values: Int32Array.of(10, 20, 30), nullCount: 0 } };
const strings: Column = { type: 'utf8', length: 5, values: Int32Array.of(1, 1, 0, 2, 0), nullCount: 0, dictionary: utf8FromStrings(['a', 'b', 'c']) };
const values = (c: Column) => Array.from({ length: c.length }, (_, i) => valueAt(plain(c), i));

describe('dictionary-encoded columns through take and slice', () => {
  for (const c of [numeric, strings]) {
    it(`${c.type}: take and slice keep the codes, the dictionary and the type`, () => {
      const taken = takeColumn(c, Int32Array.of(4, 3, 2, 0));
      expect(taken.type).toBe(c.type);
      expect(taken.dictionary).toBe(c.dictionary);
      expect(values(taken)).toEqual([4, 3, 2, 0].map((i) => values(c)[i]));
      const sliced = sliceColumn(c, 1, 4);
      expect(sliced.type).toBe(c.type);
      expect(sliced.dictionary).toBe(c.dictionary);
      expect(values(sliced)).toEqual(values(c).slice(1, 4));
    });
  }
  it('plain() of a numeric dictionary column gives its values, nulls kept', () => {
    expect(values(numeric)).toEqual([30, 10, null, 30, 10]);
  });
});
