/**
 * Free identifiers of a function: names it reads or writes that none of its own scopes declare.
 * A shipped function rebuilt in a worker sees only globals, so each such name that is not a
 * global is a captured variable that would be missing there.
 */
import type { AnyNode, Node, Pattern } from 'acorn';

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent?: Scope) {}
  has(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

type FunctionNode = Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;
type ClassNode = Extract<AnyNode, { type: 'ClassDeclaration' | 'ClassExpression' }>;

const isFunction = (n: AnyNode): n is FunctionNode =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** Child nodes in source order, for node types that need no scope handling of their own. */
function children(n: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (k === 'type' || k === 'start' || k === 'end' || k === 'loc' || k === 'range') continue;
    if (Array.isArray(v)) { for (const x of v) if (x && typeof (x as Node).type === 'string') out.push(x as AnyNode); }
    else if (v && typeof (v as Node).type === 'string') out.push(v as AnyNode);
  }
  return out;
}

/** Names a binding pattern declares (`{ a, b: [c, ...d] = [] }` declares a, c, d). */
function boundNames(p: Pattern | AnyNode, out: string[] = []): string[] {
  switch (p.type) {
    case 'Identifier': out.push(p.name); break;
    case 'ObjectPattern': for (const q of p.properties) boundNames(q.type === 'Property' ? q.value : q, out); break;
    case 'ArrayPattern': for (const q of p.elements) if (q) boundNames(q, out); break;
    case 'RestElement': boundNames(p.argument, out); break;
    case 'AssignmentPattern': boundNames(p.left, out); break;
    default: break;
  }
  return out;
}

/** `var` names (and function declarations nested in blocks) of a function body, not entering inner functions. */
function hoistedVars(n: AnyNode, out: string[]): void {
  for (const c of children(n)) {
    if (isFunction(c)) { if (c.type === 'FunctionDeclaration' && c.id) out.push(c.id.name); continue; }
    if (c.type === 'ClassDeclaration' || c.type === 'ClassExpression') continue;
    if (c.type === 'VariableDeclaration' && c.kind === 'var') for (const d of c.declarations) boundNames(d.id, out);
    hoistedVars(c, out);
  }
}

/** Block-scoped declarations made directly in a statement list. */
function lexicalNames(stmts: AnyNode[], out: string[]): void {
  for (const s of stmts) {
    if (s.type === 'VariableDeclaration' && s.kind !== 'var') for (const d of s.declarations) boundNames(d.id, out);
    else if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id) out.push(s.id.name);
  }
}

const declare = (scope: Scope, names: string[]): void => { for (const n of names) scope.names.add(n); };

class Walker {
  readonly free: string[] = [];

  private ref(name: string, scope: Scope): void {
    if (!scope.has(name) && !this.free.includes(name)) this.free.push(name);
  }

  /** Expressions inside a binding pattern: defaults and computed keys. */
  private patternExprs(p: Pattern | AnyNode, scope: Scope): void {
    switch (p.type) {
      case 'ObjectPattern':
        for (const q of p.properties) {
          if (q.type === 'Property') { if (q.computed) this.visit(q.key, scope); this.patternExprs(q.value, scope); }
          else this.patternExprs(q, scope);
        }
        break;
      case 'ArrayPattern': for (const q of p.elements) if (q) this.patternExprs(q, scope); break;
      case 'RestElement': this.patternExprs(p.argument, scope); break;
      case 'AssignmentPattern': this.patternExprs(p.left, scope); this.visit(p.right, scope); break;
      default: break;
    }
  }

  /** An assignment target: plain names in it are references, not declarations. */
  private target(p: Pattern | AnyNode, scope: Scope): void {
    switch (p.type) {
      case 'Identifier': this.ref(p.name, scope); break;
      case 'ObjectPattern':
        for (const q of p.properties) {
          if (q.type === 'Property') { if (q.computed) this.visit(q.key, scope); this.target(q.value, scope); }
          else this.target(q, scope);
        }
        break;
      case 'ArrayPattern': for (const q of p.elements) if (q) this.target(q, scope); break;
      case 'RestElement': this.target(p.argument, scope); break;
      case 'AssignmentPattern': this.target(p.left, scope); this.visit(p.right, scope); break;
      default: this.visit(p, scope);
    }
  }

  fn(f: FunctionNode, outer: Scope): void {
    let scope = outer;
    if (f.type === 'FunctionExpression' && f.id) { scope = new Scope(scope); scope.names.add(f.id.name); }
    scope = new Scope(scope);
    if (f.type !== 'ArrowFunctionExpression') scope.names.add('arguments');
    for (const p of f.params) declare(scope, boundNames(p));
    for (const p of f.params) this.patternExprs(p, scope);
    if (f.body.type === 'BlockStatement') {
      const names: string[] = [];
      hoistedVars(f.body, names);
      lexicalNames(f.body.body, names);
      declare(scope, names);
      for (const s of f.body.body) this.visit(s, scope);
    } else {
      this.visit(f.body, scope);
    }
  }

  private cls(c: ClassNode, outer: Scope): void {
    let scope = outer;
    if (c.type === 'ClassExpression' && c.id) { scope = new Scope(scope); scope.names.add(c.id.name); }
    if (c.superClass) this.visit(c.superClass, scope);
    for (const m of c.body.body) {
      if (m.type === 'StaticBlock') { this.block(m.body, scope, true); continue; }
      if (m.computed) this.visit(m.key, scope);
      if (m.value) this.visit(m.value, scope);
    }
  }

  private block(stmts: AnyNode[], outer: Scope, varScope = false): void {
    const scope = new Scope(outer);
    const names: string[] = [];
    if (varScope) for (const s of stmts) hoistedVars(s, names);
    lexicalNames(stmts, names);
    declare(scope, names);
    for (const s of stmts) this.visit(s, scope);
  }

  visit(n: AnyNode, scope: Scope): void {
    switch (n.type) {
      case 'Identifier': this.ref(n.name, scope); return;
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression': this.fn(n, scope); return;
      case 'ClassDeclaration': case 'ClassExpression': this.cls(n, scope); return;
      case 'BlockStatement': this.block(n.body, scope); return;
      case 'VariableDeclaration':
        for (const d of n.declarations) { this.patternExprs(d.id, scope); if (d.init) this.visit(d.init, scope); }
        return;
      case 'ForStatement': case 'ForInStatement': case 'ForOfStatement': {
        const s = new Scope(scope);
        const head = n.type === 'ForStatement' ? n.init : n.left;
        if (head?.type === 'VariableDeclaration' && head.kind !== 'var') for (const d of head.declarations) declare(s, boundNames(d.id));
        if (n.type === 'ForStatement') {
          if (n.init) this.visit(n.init, s);
          if (n.test) this.visit(n.test, s);
          if (n.update) this.visit(n.update, s);
        } else {
          if (n.left.type === 'VariableDeclaration') this.visit(n.left, s); else this.target(n.left, s);
          this.visit(n.right, s);
        }
        this.visit(n.body, s);
        return;
      }
      case 'SwitchStatement': {
        this.visit(n.discriminant, scope);
        const s = new Scope(scope);
        const names: string[] = [];
        for (const c of n.cases) lexicalNames(c.consequent, names);
        declare(s, names);
        for (const c of n.cases) { if (c.test) this.visit(c.test, s); for (const x of c.consequent) this.visit(x, s); }
        return;
      }
      case 'CatchClause': {
        const s = new Scope(scope);
        if (n.param) { declare(s, boundNames(n.param)); this.patternExprs(n.param, s); }
        this.visit(n.body, s);
        return;
      }
      case 'LabeledStatement': this.visit(n.body, scope); return;
      case 'BreakStatement': case 'ContinueStatement': return;
      case 'MemberExpression':
        this.visit(n.object, scope);
        if (n.computed) this.visit(n.property, scope);
        return;
      case 'Property':
        if (n.computed) this.visit(n.key, scope);
        this.visit(n.value, scope);
        return;
      case 'AssignmentExpression': this.target(n.left, scope); this.visit(n.right, scope); return;
      case 'MetaProperty': case 'ThisExpression': case 'Super': case 'PrivateIdentifier': case 'Literal': case 'TemplateElement': return;
      default:
        for (const c of children(n)) this.visit(c, scope);
    }
  }
}

/**
 * Free identifiers of `fn`, in order of first use; `this` and globals are the caller's business.
 * @example
 * freeIdentifiers(parseFunctionSource('(x) => x * k + Math.PI').node) // ['k', 'Math']
 */
export function freeIdentifiers(fn: FunctionNode): string[] {
  const w = new Walker();
  w.fn(fn, new Scope());
  return w.free;
}
