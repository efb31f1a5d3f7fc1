/**
 * Makes expression trees ready for chunk evaluation: frame columns are read, then breakers
 * (reductions, scans) are resolved level by level, innermost first. Breakers that are ready
 * together and read the same array with the same chunks (after resolution, so `y.mean()` and
 * `y.cumsum()` of one `y`) run in ONE pass: each chunk of that array is evaluated once and
 * feeds every breaker of the group (a `multi` task). Sequential scans run their own waves.
 */
import type { ANode, ReduceNode, ScanNode } from '../../ops/kernels/array/plan.js';
import { children } from '../../ops/kernels/array/evaluate.js';
import type { ArrayTask } from '../../ops/kernels/array/task.js';
import { blellochAccumulator, reduceAccumulator, sequentialCarries, type Accumulator } from './breakers.js';
import { chunkBoxes } from './chunks.js';
import { runArrayTasks } from './run.js';
import type { ArraySession } from './session.js';

type Breaker = ReduceNode | ScanNode;

const isBreaker = (n: ANode): n is Breaker => n.op === 'reduce' || (n.op === 'scan' && !n.pre);

/** `n` with every node in `done` replaced; unchanged subtrees keep their identity, shared ones stay shared. */
function substituter(done: Map<ANode, ANode>): (n: ANode) => ANode {
  const memo = new Map<ANode, ANode>();
  const sub = (n: ANode): ANode => {
    const had = done.get(n) ?? memo.get(n);
    if (had) return had;
    let out: ANode = n;
    switch (n.op) {
      case 'unary': case 'slice': case 'transpose': case 'broadcast': case 'reshape': case 'reduce': case 'scan': {
        const x = sub(n.x);
        if (x !== n.x) out = { ...n, x } as ANode;
        break;
      }
      case 'binary': { const a = sub(n.a), b = sub(n.b); if (a !== n.a || b !== n.b) out = { ...n, a, b }; break; }
      case 'where': { const c = sub(n.c), a = sub(n.a), b = sub(n.b); if (c !== n.c || a !== n.a || b !== n.b) out = { ...n, c, a, b }; break; }
    }
    memo.set(n, out);
    return out;
  };
  return sub;
}

/** Every node reachable from `roots`, once each. */
function allNodes(roots: readonly ANode[]): ANode[] {
  const seen = new Set<ANode>();
  const walk = (n: ANode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    children(n).forEach(walk);
  };
  roots.forEach(walk);
  return [...seen];
}

/** Breakers not yet done whose input holds no unresolved breaker or column. */
function readyBreakers(nodes: readonly ANode[], done: Map<ANode, ANode>): Breaker[] {
  const blocked = new Map<ANode, boolean>();
  const pending = (n: ANode): boolean => {
    if (done.has(n)) return false;
    let b = blocked.get(n);
    if (b === undefined) {
      b = isBreaker(n) || n.op === 'column' || children(n).some(pending);
      blocked.set(n, b);
    }
    return b;
  };
  return nodes.filter((n): n is Breaker => isBreaker(n) && !done.has(n) && !pending(n.x));
}

/** One pass over `x` chunked by `chunks`, feeding every accumulator. */
async function sharedPass(x: ANode, chunks: number[][], accs: Accumulator[], session: ArraySession): Promise<void> {
  const boxes = [...chunkBoxes(chunks)];
  const tasks = function* (): Generator<ArrayTask> {
    for (const { box } of boxes) yield { kind: 'multi', node: x, box, parts: accs.map((a) => a.part(box)) };
  };
  await runArrayTasks(tasks(), session.settings, (i, r) => {
    if (r.kind !== 'multi') return;
    const { index, box } = boxes[i];
    r.results.forEach((res, k) => accs[k].add(index, box, res));
  });
}

/**
 * `roots` with every column read and every breaker computed, in the same order.
 * @example
 * const [m, c] = await resolveAll([mean.node, cum.node], session);
 */
export async function resolveAll(roots: readonly ANode[], session: ArraySession): Promise<ANode[]> {
  const nodes = allNodes(roots);
  const done = new Map<ANode, ANode>();
  for (const n of nodes) if (n.op === 'column') done.set(n, (await session.column(n.source)).node);
  for (;;) {
    const ready = readyBreakers(nodes, done);
    if (!ready.length) break;
    const sub = substituter(done);
    const groups = new Map<ANode, Map<string, { chunks: number[][]; members: Breaker[] }>>();
    for (const b of ready) {
      if (b.op === 'scan' && b.method === 'sequential') {
        done.set(b, await sequentialCarries({ ...b, x: sub(b.x) }, session.settings));
        continue;
      }
      const x = sub(b.x);
      let byChunks = groups.get(x);
      if (!byChunks) groups.set(x, (byChunks = new Map()));
      const key = JSON.stringify(b.chunks);
      let g = byChunks.get(key);
      if (!g) byChunks.set(key, (g = { chunks: b.chunks, members: [] }));
      g.members.push(b);
    }
    for (const [x, byChunks] of groups) {
      for (const { chunks, members } of byChunks.values()) {
        const accs = members.map((b) => (b.op === 'reduce' ? reduceAccumulator({ ...b, x }) : blellochAccumulator({ ...b, x })));
        await sharedPass(x, chunks, accs, session);
        members.forEach((b, k) => done.set(b, accs[k].finish()));
      }
    }
  }
  const sub = substituter(done);
  return roots.map(sub);
}
