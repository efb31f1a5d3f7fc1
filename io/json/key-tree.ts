/**
 * The requested columns as a tree of object keys, so the parse loop finds a value's column
 * by looking up each key in its parent's map, with no dotted name built per value and no
 * descent into objects that hold no requested column.
 *
 * A flattened name such as `a.b.c` may come from `{"a": {"b": {"c": ..}}}` but also from a
 * key that itself contains dots (`{"a.b": {"c": ..}}`, `{"a.b.c": ..}`); every such split of
 * the name leads to the same column.
 */

/**
 * One key level: the column a key names, and the keys below it.
 * @example const node: KeyNode<string> | undefined = tree.get('s');
 */
export interface KeyNode<T> { column?: T; children?: Map<string, KeyNode<T>> }

/** Names with more dots than this are matched only fully nested or as one key. */
const MAX_SPLIT_DOTS = 10;

function insert<T>(root: Map<string, KeyNode<T>>, keys: string[], column: T): void {
  let level = root;
  for (let i = 0; i < keys.length; i++) {
    let node = level.get(keys[i]);
    if (!node) { node = {}; level.set(keys[i], node); }
    if (i === keys.length - 1) node.column = column;
    else level = node.children ??= new Map();
  }
}

/** The ways of grouping the dot-separated parts of a name into keys. */
function splits(name: string): string[][] {
  const parts = name.split('.');
  if (parts.length === 1) return [parts];
  if (parts.length - 1 > MAX_SPLIT_DOTS) return [parts, [name]];
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << (parts.length - 1); mask++) {
    const keys: string[] = [];
    let cur = parts[0];
    for (let i = 1; i < parts.length; i++) {
      if (mask & (1 << (i - 1))) cur += `.${parts[i]}`;
      else { keys.push(cur); cur = parts[i]; }
    }
    keys.push(cur);
    out.push(keys);
  }
  return out;
}

/**
 * The key tree of `columns`, each leaf holding `make(name)`.
 * @example keyTree(['id', 's.a'], (n) => n).get('s')!.children!.get('a')!.column // 's.a'
 */
export function keyTree<T>(columns: string[], make: (name: string) => T): Map<string, KeyNode<T>> {
  const root = new Map<string, KeyNode<T>>();
  for (const name of columns) {
    const column = make(name);
    for (const keys of splits(name)) insert(root, keys, column);
  }
  return root;
}
