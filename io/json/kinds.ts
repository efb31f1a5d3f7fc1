/**
 * What kinds of value each key of sampled JSON lines holds, for schema inference.
 *
 * `JSON.parse` cannot tell `2.0` from `2`, yet a writer that prints whole floats as `2.0`
 * (Python's json, most serializers of float columns) means a float column; inferring int64
 * from such a sample would fail on the first `2.5` further on. So the sampled lines are
 * walked here as text, after `JSON.parse` has accepted them: a number with a fraction or an
 * exponent is a float.
 */

/**
 * Bit flags of the kinds seen at one key.
 * @example (node.kinds & ~Kind.Null) === Kind.Int // only integers (and nulls) seen
 */
export const Kind = { Null: 1, Int: 2, Float: 4, Bool: 8, Str: 16, Arr: 32, Obj: 64 } as const;

/**
 * The kinds seen at one key, and for objects the keys seen inside (in first-seen order).
 * @example const root = new Map<string, KindNode>();
 */
export interface KindNode { kinds: number; children?: Map<string, KindNode> }

/** Walks one valid JSON text, adding what it finds under `root` (the keys of a top-level object). */
class KindScanner {
  private i = 0;
  constructor(private readonly s: string) {}

  top(root: Map<string, KindNode>): void {
    this.ws();
    this.object(root);
  }

  private ws(): void {
    const s = this.s;
    for (let c = s.charCodeAt(this.i); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++this.i)) { /* skip */ }
  }

  private value(node: KindNode): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') { node.kinds |= Kind.Obj; this.object(node.children ??= new Map()); }
    else if (c === '[') { node.kinds |= Kind.Arr; this.skipNested(); }
    else if (c === '"') { node.kinds |= Kind.Str; this.skipString(); }
    else if (c === 't') { node.kinds |= Kind.Bool; this.i += 4; }
    else if (c === 'f') { node.kinds |= Kind.Bool; this.i += 5; }
    else if (c === 'n') { node.kinds |= Kind.Null; this.i += 4; }
    else node.kinds |= this.number();
  }

  private number(): number {
    const s = this.s, start = this.i;
    let fraction = false;
    for (;;) {
      const c = s[this.i];
      if (c === '.' || c === 'e' || c === 'E') fraction = true;
      else if (!(c === '-' || c === '+' || (c >= '0' && c <= '9'))) break;
      this.i++;
    }
    return !fraction && Number.isSafeInteger(Number(s.slice(start, this.i))) ? Kind.Int : Kind.Float;
  }

  private object(into: Map<string, KindNode>): void {
    this.i++; // '{'
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return; }
    for (;;) {
      this.ws();
      const start = this.i;
      this.skipString();
      const key = JSON.parse(this.s.slice(start, this.i)) as string;
      this.ws();
      this.i++; // ':'
      let child = into.get(key);
      if (!child) { child = { kinds: 0 }; into.set(key, child); }
      this.value(child);
      this.ws();
      if (this.s[this.i++] === '}') return;
    }
  }

  private skipString(): void {
    const s = this.s;
    this.i++;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 92) this.i += 2;
      else { this.i++; if (c === 34 || Number.isNaN(c)) return; }
    }
  }

  /** Skips an array (or object) without recording what is inside. */
  private skipNested(): void {
    const s = this.s;
    let depth = 0;
    do {
      const c = s[this.i];
      if (c === '"') { this.skipString(); continue; }
      if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') depth--;
      else if (c === undefined) return;
      this.i++;
    } while (depth > 0);
  }
}

/**
 * Adds the kinds found in one JSON object text (already accepted by `JSON.parse`) to `root`.
 * @example const root = new Map(); addKinds('{"a": 2.0, "b": {"c": true}}', root); // a: Float, b: Obj{c: Bool}
 */
export function addKinds(text: string, root: Map<string, KindNode>): void {
  new KindScanner(text).top(root);
}
