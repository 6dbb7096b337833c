import { NightshiftError } from '../../shared/NightshiftError.js';

/** Another process holds git's lock file for the branch. */
export class BranchLockedError extends NightshiftError {
  constructor(options: { branch: string; lockPath: string; cause?: unknown }) {
    super({
      code: 'BRANCH_LOCKED',
      message: `Branch ${options.branch} is locked by another git process (${options.lockPath} exists).`,
      hint: `Retry shortly; if no git process is running, delete ${options.lockPath}.`,
      context: { branch: options.branch, lockPath: options.lockPath },
      cause: options.cause,
    });
  }
}
