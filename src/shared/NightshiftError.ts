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
}
