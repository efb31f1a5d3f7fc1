/**
 * Fusion of elementwise subtrees: a connected group of unary/binary/where nodes becomes one
 * generated loop over the chunk, reading only its leaf buffers, so `exp(a) + 3 * sin(a)` makes
 * no temporary arrays. Generated source depends only on the tree's structure (constants are
 * passed in), so it is compiled once per structure and reused for every chunk.
 */
import type { ANode, BinaryFn, UnaryFn } from './plan.js';

type Kernel = (out: Float64Array, n: number, leaves: Float64Array[], consts: number[]) => void;

/**
 * A compiled group: its buffer leaves (evaluated by the caller) and scalar leaves.
 * @example const { kernel, leaves, scalars }: Fused = fuse(node);
 */
export interface Fused { kernel: Kernel; leaves: ANode[]; scalars: ANode[] }

const UNARY: Record<UnaryFn, (x: string) => string> = {
  exp: (x) => `Math.exp(${x})`, sin: (x) => `Math.sin(${x})`, cos: (x) => `Math.cos(${x})`,
  log: (x) => `Math.log(${x})`, sqrt: (x) => `Math.sqrt(${x})`, abs: (x) => `Math.abs(${x})`, neg: (x) => `(-${x})`,
};

const BINARY: Record<BinaryFn, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`, div: (a, b) => `(${a} / ${b})`,
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  gt: (a, b) => `(${a} > ${b} ? 1 : 0)`, ge: (a, b) => `(${a} >= ${b} ? 1 : 0)`, lt: (a, b) => `(${a} < ${b} ? 1 : 0)`,
  le: (a, b) => `(${a} <= ${b} ? 1 : 0)`, eq: (a, b) => `(${a} === ${b} ? 1 : 0)`, ne: (a, b) => `(${a} !== ${b} ? 1 : 0)`,
};

const cache = new Map<string, Kernel>();

/**
 * Whether `n` is evaluated inside a fused loop rather than as a buffer of its own.
 * @example isElementwise({ op: 'unary', fn: 'sin', shape: [3], x }) // true
 */
export const isElementwise = (n: ANode): boolean => n.op === 'unary' || n.op === 'binary' || n.op === 'where';

/**
 * Compiles the elementwise group rooted at `root`. Scalars (0-d nodes below the root, `full`) become
 * loop-invariant constants; every other non-elementwise child is a leaf buffer.
 * @example
 * const f = fuse(node); // then f.kernel(out, out.length, leafBuffers, scalarValues)
 */
export function fuse(root: ANode): Fused {
  const known = byRoot.get(root);
  if (known) return known;
  const f = compile(root);
  byRoot.set(root, f);
  return f;
}

/** Compiled groups by root node: a task evaluates the same tree strip after strip. */
const byRoot = new WeakMap<ANode, Fused>();

function compile(root: ANode): Fused {
  const leaves: ANode[] = [];
  const scalars: ANode[] = [];
  const names = new Map<ANode, string>();
  const body: string[] = [];
  const visit = (n: ANode): string => {
    const known = names.get(n);
    if (known) return known;
    let name: string;
    if ((n.shape.length === 0 && n !== root) || n.op === 'full') {
      name = `c${scalars.length}`; scalars.push(n);
    } else if (n.op === 'unary') {
      const x = visit(n.x); name = `t${body.length}`; body.push(`const ${name} = ${UNARY[n.fn](x)};`);
    } else if (n.op === 'binary') {
      const a = visit(n.a), b = visit(n.b); name = `t${body.length}`; body.push(`const ${name} = ${BINARY[n.fn](a, b)};`);
    } else if (n.op === 'where') {
      const c = visit(n.c), a = visit(n.a), b = visit(n.b); name = `t${body.length}`; body.push(`const ${name} = (${c} !== 0 ? ${a} : ${b});`);
    } else {
      name = `L${leaves.length}[i]`; leaves.push(n);
    }
    names.set(n, name);
    return name;
  };
  const result = visit(root);
  const src = [
    ...leaves.map((_, k) => `const L${k} = leaves[${k}];`),
    ...scalars.map((_, k) => `const c${k} = consts[${k}];`),
    'for (let i = 0; i < n; i++) {', ...body, `out[i] = ${result};`, '}',
  ].join('\n');
  let kernel = cache.get(src);
  if (!kernel) {
    kernel = new Function('out', 'n', 'leaves', 'consts', src) as Kernel;
    cache.set(src, kernel);
  }
  return { kernel, leaves, scalars };
}
