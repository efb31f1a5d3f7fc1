/**
 * Word counts a thread keeps across partitions (planner/scheduler/resident.ts): what goes
 * back per partition, the first positions the kept table gives, a partition that comes out
 * of order, and a table past its limit.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../../core/types.js';
import { WordCountState } from '../../ops/operators/word-count.js';
import { countKept, heldStages, holds, takeHeld } from '../../planner/scheduler/resident.js';

const enc = (s: string) => new TextEncoder().encode(s);
const make = () => new WordCountState();
const block = (seq: number, text: string) => (st: WordCountState) => st.addBlock(seq, enc(text));

/** word -> [count, partition of first position, rank there] */
function read(b: Batch): Map<string, [number, number, number]> {
  const k = b.columns['#k0'], n = b.columns['#0.n'].values, first = b.columns['#1.v'].values;
  const out = new Map<string, [number, number, number]>();
  for (let i = 0; i < b.length; i++) {
    const w = new TextDecoder().decode((k.values as Uint8Array).subarray(k.offsets![i], k.offsets![i + 1]));
    out.set(w, [n[i], Math.floor(first[i] / 2 ** 29), first[i] % 2 ** 29]);
  }
  return out;
}

describe('kept word counts', () => {
  it('count partitions into one table; positions are (partition, rank among its new words)', () => {
    const r = { stage: 901, limit: 1 << 30 };
    expect(countKept(r, 1, 2, make, block(2, 'b a\n'))).toBeUndefined();
    expect(countKept(r, 1, 5, make, block(5, 'c a d\n'))).toBeUndefined();
    expect(holds(901)).toBe(true);
    const [kept] = takeHeld(901);
    expect(kept.id).toBe(1);
    expect(holds(901)).toBe(false);
    expect([...read(kept.batch)]).toEqual([['b', [1, 2, 0]], ['a', [2, 2, 1]], ['c', [1, 5, 0]], ['d', [1, 5, 1]]]);
  });

  it('a partition before those the table counted gets a table of its own', () => {
    const r = { stage: 902, limit: 1 << 30 };
    expect(countKept(r, 1, 4, make, block(4, 'x y\n'))).toBeUndefined();
    const own = countKept(r, 1, 3, make, block(3, 'y z\n'));
    expect([...read(own!)]).toEqual([['y', [1, 3, 0]], ['z', [1, 3, 1]]]);
    expect([...read(takeHeld(902)[0].batch)]).toEqual([['x', [1, 4, 0]], ['y', [1, 4, 1]]]);
  });

  it('a table past its limit goes back with the partition that grew it, and a new one starts', () => {
    const r = { stage: 903, limit: new WordCountState().bytes };
    expect(countKept(r, 7, 0, make, block(0, 'a b\n'))).toBeUndefined();
    const words = Array.from({ length: 5000 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0))}`);
    const back = countKept(r, 7, 1, make, block(1, words.join(' ') + '\n'));
    expect(back).toBeDefined();
    const got = read(back!);
    expect(got.get('a')).toEqual([1, 0, 0]);
    expect(got.get(words[0])).toEqual([1, 1, 0]);
    expect(holds(903)).toBe(false);
    expect(countKept(r, 7, 2, make, block(2, 'a\n'))).toBeUndefined();
    expect([...read(takeHeld(903)[0].batch)]).toEqual([['a', [1, 2, 0]]]);
    expect(heldStages()).toBe(0);
  });
});
