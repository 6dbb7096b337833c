import { NightshiftError } from '../../shared/NightshiftError.js';

/** Changes or metadata handed to `commit` that cannot be turned into a valid git commit. */
export class InvalidCommitInputError extends NightshiftError {
  constructor(options: { reason: string; path?: string }) {
    super({
      code: 'INVALID_COMMIT_INPUT',
      message: options.path === undefined ? `Cannot commit: ${options.reason}` : `Cannot commit ${options.path}: ${options.reason}`,
      hint: 'This is a bug in the caller: file paths must be relative, use forward slashes and stay inside the repository.',
      context: { reason: options.reason, path: options.path },
    });
  }
}
