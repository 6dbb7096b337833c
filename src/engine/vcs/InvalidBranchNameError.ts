import { NightshiftError } from '../../shared/NightshiftError.js';

/** A branch name git would reject, or one that collides with an existing branch as file vs. folder. */
export class InvalidBranchNameError extends NightshiftError {
  constructor(options: { branch: string; reason: string }) {
    super({
      code: 'INVALID_BRANCH_NAME',
      message: `Invalid branch name ${JSON.stringify(options.branch)}: ${options.reason}`,
      hint: 'Use a name like `nightshift/session-1` (see `git check-ref-format --branch`).',
      context: { branch: options.branch, reason: options.reason },
    });
  }
}
