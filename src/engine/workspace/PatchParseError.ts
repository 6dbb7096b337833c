import { NightshiftError } from '../../shared/NightshiftError.js';

/** A unified diff is malformed, names no files, or has a hunk that does not apply to the current file. */
export class PatchParseError extends NightshiftError {
  constructor(options: {
    /** What is wrong with the patch, in one sentence. */
    reason: string;
    /** The file the problem is about, when known. */
    path?: string;
    cause?: unknown;
  }) {
    super({
      code: 'PATCH_INVALID',
      message: `Cannot use the patch${options.path ? ` for ${options.path}` : ''}: ${options.reason}`,
      hint: 'Produce the patch with `git diff` (or `diff -u`) against the current base commit, with full file headers.',
      context: { path: options.path ?? null, reason: options.reason },
      cause: options.cause,
    });
  }
}
