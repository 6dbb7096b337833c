import { NightshiftError } from '../../shared/NightshiftError.js';

/** A compare-and-swap branch update found the branch somewhere other than expected. */
export class BranchMovedError extends NightshiftError {
  constructor(options: { branch: string; expected: string | null; actual: string | null }) {
    const describe = (oid: string | null) => (oid === null ? 'absent' : oid);
    super({
      code: 'BRANCH_MOVED',
      message: `Branch ${options.branch} is ${describe(options.actual)}, expected ${describe(options.expected)}.`,
      hint: 'Someone else moved the branch; re-read it and decide whether to rebase onto it or use another branch name.',
      context: { branch: options.branch, expected: options.expected, actual: options.actual },
    });
  }
}
