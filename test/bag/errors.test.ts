/** Failures inside user functions: a WorkerError naming the step, the item and the cause; the pool keeps working. */
import { afterAll, describe, expect, it } from 'vitest';
import { NotImplementedError, PlanError, WorkerError } from '../../core/errors.js';
import { bag, shutdownBagWorkers } from '../../core/bag/index.js';

afterAll(() => shutdownBagWorkers());

const SCHEDULERS = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, workers: 2 }];

async function failure(p: Promise<unknown>): Promise<WorkerError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(WorkerError);
  return e as WorkerError;
}

describe('bag errors', () => {
  it('a throwing map names the step, the item and the cause, keeps the cause, and the next compute works', async () => {
    for (const o of SCHEDULERS) {
      const b = bag.fromItems([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], { partitions: 2 })
        .map((r: { id: number }) => r)
        .map((r: { id: number }) => { if (r.id === 3) throw new TypeError(`bad id ${r.id}`); return r.id; });
      const e = await failure(b.compute(o));
      expect(e.code).toBe('WORKER_ERROR');
      expect(e.message).toContain('map #2');
      expect(e.message).toContain('{"id":3}');
      expect(e.message).toContain('partition 1, item 0');
      expect(e.message).toContain('bad id 3');
      expect(e.cause).toBeInstanceOf(TypeError);
      expect((e.cause as Error).message).toBe('bad id 3');
      expect(await bag.fromItems([1, 2, 3], { partitions: 3 }).map((x: number) => x * 2).compute(o)).toEqual([2, 4, 6]);
    }
  });

  it('names filter, flatMap, pluck and reduction functions; thrown strings and async rejections too', async () => {
    for (const o of SCHEDULERS) {
      const b = bag.fromItems([1, 2, 3, 4, 5, 6], { partitions: 2 });
      expect((await failure(b.filter((x: number) => { if (x === 5) throw 'no five'; return true; }).compute(o))).message)
        .toMatch(/^filter #1 failed on item 5 \(partition 1, item 1\): no five$/);
      expect((await failure(b.flatMap(async (x: number) => { if (x > 1) throw new Error('later'); return [x]; }).compute(o))).message).toMatch(/^flatMap #1 failed on item 2 .*: later$/);
      expect((await failure(b.map(() => null).pluck('a').compute(o))).message).toMatch(/^pluck #1 failed on item null/);
      expect((await failure(b.topk(2, (x: number) => { if (x === 4) throw new Error('k'); return x; }).compute(o))).message).toMatch(/^topk key failed on item 4/);
      expect((await failure(b.foldby((x: number) => x % 2, (a: number, x: number) => { if (x === 6) throw new Error('f'); return a + x; }, 0).compute(o))).message).toMatch(/^foldby binop failed on item 6/);
      expect((await failure(b.foldby((x: number) => x % 2, (a: number, x: number) => a + x, 0, () => { throw new Error('c'); }).compute(o))).message).toMatch(/^foldby combine failed/);
    }
  });

  it('cuts long items to a short snippet', async () => {
    const long = 'x'.repeat(5000);
    const e = await failure(bag.fromItems([long]).map(() => { throw new Error('too long'); }).compute({ scheduler: 'threads', workers: 2 }));
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toContain('...');
  });

  it('results that cannot cross threads give a clear WorkerError under both schedulers', async () => {
    for (const o of SCHEDULERS) {
      const e = await failure(bag.fromItems([1, 2]).map(() => () => 1).compute(o));
      expect(e.message).toMatch(/structured-cloneable/);
      const f = await failure(bag.fromItems([() => 1]).compute(o));
      expect(f.message).toMatch(/cannot be sent to a worker thread/);
    }
    expect(await bag.fromItems([1, 2]).count().compute({ scheduler: 'threads', workers: 2 })).toBe(2);
  });

  it('refuses bad arguments up front', async () => {
    expect(() => bag.fromItems([1]).map(undefined as never)).toThrow(PlanError);
    expect(() => bag.fromItems([1]).pluck({} as never)).toThrow(/field name/);
    expect(() => bag.fromItems([1]).topk(1, {} as never)).toThrow(/key must be a function/);
    expect(() => bag.fromItems([1]).toDataFrame([] as never)).toThrow(/columns/);
    await expect(bag.fromItems([1]).compute({ scheduler: 'processes' as never })).rejects.toThrow(NotImplementedError);
  });
});
