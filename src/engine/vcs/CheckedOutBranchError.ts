import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * Moving a checked-out branch would silently change what that working tree and index are compared
 * against, so Nightshift never does it.
 */
export class CheckedOutBranchError extends NightshiftError {
  constructor(options: { branch: string; worktree: string }) {
    super({
      code: 'CHECKED_OUT_BRANCH',
      message: `Branch ${options.branch} is checked out in ${options.worktree}; Nightshift will not move it.`,
      hint: 'Deliver to a branch that is not checked out (for example `nightshift/<session>`) and merge it yourself.',
      context: { branch: options.branch, worktree: options.worktree },
    });
  }
}
