/**
 * Typed errors. Every error Tessera throws is a {@link TesseraError} with a stable `code`.
 * Messages name the offending thing (file, column, value) and, where possible, the valid
 * alternatives and a hint.
 */

/** Base class of every error Tessera throws. `code` is stable across releases. */
export class TesseraError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Unknown column (lists the valid ones) or a type mismatch in an expression. */
export class SchemaError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) { super('SCHEMA_ERROR', message, options); }
}

/** A plan that cannot be built or run as written (e.g. mixing aggregates with row-wise expressions). */
export class PlanError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) { super('PLAN_ERROR', message, options); }
}

/** Malformed input data: names the file, the line and/or byte offset, the column and what was expected. */
export class ParseError extends TesseraError {
  readonly file?: string;
  readonly line?: number;
  readonly offset?: number;
  readonly column?: string;
  constructor(message: string, where: { file?: string; line?: number; offset?: number; column?: string } = {}, options?: { cause?: unknown }) {
    super('PARSE_ERROR', message, options);
    this.file = where.file; this.line = where.line; this.offset = where.offset; this.column = where.column;
  }
}

/** A file or directory problem: names the path. */
export class IOError extends TesseraError {
  readonly path?: string;
  constructor(message: string, path?: string, options?: { cause?: unknown }) {
    super('IO_ERROR', message, options);
    this.path = path;
  }
}

/** A memory budget or other resource limit was hit: gives the figure and the setting to change. */
export class ResourceError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) { super('RESOURCE_ERROR', message, options); }
}

/** A task failed inside a worker: names the task, keeps the cause. */
export class WorkerError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) { super('WORKER_ERROR', message, options); }
}

/** A documented capability that this version does not provide yet. */
export class NotImplementedError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) { super('NOT_IMPLEMENTED', message, options); }
}

const registry: Record<string, new (message: string) => TesseraError> = {
  SCHEMA_ERROR: SchemaError, PLAN_ERROR: PlanError, PARSE_ERROR: ParseError, IO_ERROR: IOError,
  RESOURCE_ERROR: ResourceError, WORKER_ERROR: WorkerError, NOT_IMPLEMENTED: NotImplementedError,
};

/** Plain-object form of an error, so it can cross a worker boundary and be rebuilt with its class. */
export interface SerializedError { code?: string; name: string; message: string; stack?: string; fields?: Record<string, unknown> }

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const fields: Record<string, unknown> = {};
    for (const k of ['file', 'line', 'offset', 'column', 'path'] as const) {
      const v = (e as unknown as Record<string, unknown>)[k];
      if (v !== undefined) fields[k] = v;
    }
    return { code: (e as TesseraError).code, name: e.name, message: e.message, stack: e.stack, fields };
  }
  return { name: 'Error', message: String(e) };
}

/** Rebuilds an error serialized in a worker with its original class, when it was a TesseraError. */
export function deserializeError(s: SerializedError): Error {
  const Cls = s.code ? registry[s.code] : undefined;
  const e: Error = Cls ? new Cls(s.message) : new Error(s.message);
  if (s.stack) e.stack = s.stack;
  if (s.fields) Object.assign(e, s.fields);
  return e;
}
