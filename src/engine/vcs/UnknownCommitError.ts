import { NightshiftError } from '../../shared/NightshiftError.js';

/** An oid that is missing from the repository or does not name a commit. */
export class UnknownCommitError extends NightshiftError {
  constructor(options: { repoDir: string; oid: string; cause?: unknown }) {
    super({
      code: 'UNKNOWN_COMMIT',
      message: `${options.oid} is not a commit in ${options.repoDir}.`,
      hint: 'The commit may have been garbage-collected or belong to another repository; start again from the current HEAD.',
      context: { repoDir: options.repoDir, oid: options.oid },
      cause: options.cause,
    });
  }
}
