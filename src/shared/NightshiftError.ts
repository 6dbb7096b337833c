import type { NightshiftErrorData } from './NightshiftErrorData.js';

/** Rebuilds one typed error from its wire form; keyed by class name in `NightshiftError.fromJSON`. */
export type NightshiftErrorReviver = (data: NightshiftErrorData) => Error;

/** How deep a cause chain is kept on the wire; deeper causes are dropped, cycles end there too. */
const MAX_CAUSE_DEPTH = 8;
const STACK_CHARS = 4000;

/**
 * Base of every typed error Nightshift raises. `code` is stable for programs, `hint` tells a person what
 * to do next, `context` carries the values that explain the failure (paths, ids, commands).
 */
export class NightshiftError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly context: Record<string, unknown>;

  constructor(options: {
    /** Stable machine-readable code, e.g. `NOT_A_GIT_REPO`. */
    code: string;
    /** What went wrong, in one sentence. */
    message: string;
    /** What the user can do about it. */
    hint: string;
    /** Values that explain the failure. */
    context?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint;
    this.context = options.context ?? {};
  }

  /** The wire form: name, code, message, hint, the JSON-safe part of context, and the cause chain as data. */
  toJSON(): NightshiftErrorData {
    return toData(this, 0);
  }

  /**
   * The wire form of any thrown value: a NightshiftError's own, or for anything else `fallback`'s code and
   * hint with the value's name, message and (for an Error) stack in the context.
   */
  static toData(options: {
    /** What was thrown. */
    error: unknown;
    /** Code and hint for a value that is not a NightshiftError. Default: `UNEXPECTED_ERROR`, "this is a bug". */
    fallback?: { code: string; hint: string };
  }): NightshiftErrorData {
    return toData(options.error, 0, options.fallback);
  }

  /**
   * Rebuilds an error from its wire form. A class the receiver knows (a reviver under its `name`) comes
   * back as itself; any other through `otherwise`, or as a NightshiftError with the same name, code, message,
   * hint and context.
   * The cause chain is rebuilt the same way.
   */
  static fromJSON(options: {
    /** The wire form, already validated (e.g. with `nightshiftErrorDataSchema`). */
    data: NightshiftErrorData;
    /** Rebuilders by class name for the typed errors this receiver branches on. */
    revivers?: Readonly<Record<string, NightshiftErrorReviver>>;
    /** Rebuilds an error no reviver names. Default: a NightshiftError with the same name, code, message, hint and context. */
    otherwise?: NightshiftErrorReviver;
  }): Error {
    const { data, revivers = {}, otherwise } = options;
    const cause = data.cause === undefined ? undefined : NightshiftError.fromJSON({ data: data.cause, revivers, ...(otherwise ? { otherwise } : {}) });
    const reviver = (Object.hasOwn(revivers, data.name) ? revivers[data.name] : undefined) ?? otherwise;
    if (reviver) {
      const error = reviver(data);
      if (cause !== undefined && error.cause === undefined) {
        Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
      }
      return error;
    }
    const error = new NightshiftError({ code: data.code, message: data.message, hint: data.hint, context: data.context, cause });
    error.name = data.name;
    return error;
  }
}

function toData(error: unknown, depth: number, fallback?: { code: string; hint: string }): NightshiftErrorData {
  const data: NightshiftErrorData =
    error instanceof NightshiftError
      ? { name: error.name, code: error.code, message: error.message, hint: error.hint, context: jsonSafe(error.context) }
      : {
          name: error instanceof Error ? error.name : typeof error,
          code: fallback?.code ?? 'UNEXPECTED_ERROR',
          message: error instanceof Error ? error.message : String(error),
          hint: fallback?.hint ?? 'This is a bug in Nightshift; the stack in the context shows where.',
          context: error instanceof Error && error.stack ? { stack: error.stack.slice(0, STACK_CHARS) } : {},
        };
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) data.cause = toData(cause, depth + 1);
  return data;
}

function jsonSafe(context: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(context).flatMap(([key, value]) => {
      try {
        const text = JSON.stringify(value);
        return text === undefined ? [] : [[key, JSON.parse(text) as unknown]];
      } catch {
        return [[key, String(value)]];
      }
    }),
  );
}
