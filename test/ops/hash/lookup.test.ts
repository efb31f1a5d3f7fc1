/** lookupIds finds exactly the keys groupIds added (same ids), -1 for the others and for null keys, and adds nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../../core/types.js';
import { createGroupTable } from '../../../ops/kernels/hash/key-table.js';
import { dictEncode, rowArb, SCHEMA, toBatch } from '../aggregate/gen.js';
import type { Row } from '../aggregate/reference.js';

const KEYSETS = [['k1'], ['k2'], ['f'], ['k1', 'k2'], ['k2', 's', 'i']];

describe('GroupTable.lookupIds', () => {
  it('gives the ids of keys already grouped, -1 for new and null keys, and leaves the table as it was (property)', () => {
    fc.assert(fc.property(fc.array(rowArb, { maxLength: 120 }), fc.array(rowArb, { maxLength: 120 }), fc.constantFrom(...KEYSETS), fc.boolean(), (built, probed, keys, dict) => {
      const a: Batch = toBatch(built), b: Batch = toBatch(probed);
      const table = createGroupTable(keys.map((k) => SCHEMA[k]));
      const ids = table.groupIds(keys.map((k) => a.columns[k]), a.length).slice(0, a.length);
      const known = new Map<string, number>();
      built.forEach((r, i) => { if (keys.every((k) => r[k] !== null)) known.set(JSON.stringify(keys.map((k) => r[k])), ids[i]); });
      const size = table.size;
      const cols = keys.map((k) => (dict && SCHEMA[k] === 'utf8' ? dictEncode(b.columns[k]) : b.columns[k]));
      const got = [...table.lookupIds(cols, b.length).subarray(0, b.length)];
      const want = probed.map((r: Row) => (keys.some((k) => r[k] === null) ? -1 : known.get(JSON.stringify(keys.map((k) => r[k]))) ?? -1));
      expect(got).toEqual(want);
      expect(table.size).toBe(size);
    }), { numRuns: 300 });
  });

  it('numbers match by value across dtypes, as joins need (int 5 = float 5.0; NaN = NaN; -0 = 0)', () => {
    const t = createGroupTable(['float64']);
    t.groupIds([{ type: 'float64', length: 3, values: Float64Array.of(5, NaN, 0), nullCount: 0 }], 3);
    const ints = t.lookupIds([{ type: 'int32', length: 2, values: Int32Array.of(5, 6), nullCount: 0 }], 2);
    const floats = t.lookupIds([{ type: 'float64', length: 2, values: Float64Array.of(NaN, -0), nullCount: 0 }], 2);
    expect([...ints.subarray(0, 2)]).toEqual([0, -1]);
    expect([...floats.subarray(0, 2)]).toEqual([1, 2]);
  });
});
