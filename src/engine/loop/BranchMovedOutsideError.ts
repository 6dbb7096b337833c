import { NightshiftError } from '../../shared/NightshiftError.js';

/** The delivery branch of an unfinished session was changed by someone else; resuming would overwrite it. */
export class BranchMovedOutsideError extends NightshiftError {
  constructor(options: { branch: string; expected: string | null; actual: string | null }) {
    super({
      code: 'BRANCH_MOVED_OUTSIDE',
      message: `Branch "${options.branch}" is at ${options.actual ?? '(deleted)'}, but Nightshift left it at ${options.expected ?? '(not created)'}.`,
      hint: 'Nightshift never overwrites work it did not make. Start a new session with --no-resume, or move the branch back.',
      context: options,
    });
  }
}
