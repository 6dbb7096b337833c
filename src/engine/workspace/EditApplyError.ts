import { NightshiftError } from '../../shared/NightshiftError.js';
import type { FailureType } from '../../shared/failureType.js';

/**
 * A proposed edit cannot be applied: its `search` text is missing or ambiguous, it deletes a missing file,
 * or writing failed. Nothing from the edit set is left on disk.
 */
export class EditApplyError extends NightshiftError {
  readonly path: string;
  /** `localization` when the edit does not fit the file, `environment` when the disk refused. */
  readonly failureType: FailureType;

  constructor(options: {
    /** The edit's path, relative to the workspace root. */
    path: string;
    /** 0-based position of the offending edit in the edit list; null when no single edit is to blame. */
    editIndex: number | null;
    failureType: FailureType;
    /** What is wrong, with enough of the file to fix it (shown to the coder as feedback). */
    reason: string;
    cause?: unknown;
  }) {
    super({
      code: 'EDIT_APPLY_FAILED',
      message: `Cannot apply edit${options.editIndex === null ? '' : ` #${options.editIndex + 1}`} to ${options.path}: ${options.reason}`,
      hint:
        options.failureType === 'localization'
          ? 'Copy the search text exactly from the current file (including indentation) and make it unique, or write the whole file.'
          : 'Check that the workspace is writable and has free space.',
      context: { path: options.path, editIndex: options.editIndex, failureType: options.failureType, reason: options.reason },
      cause: options.cause,
    });
    this.path = options.path;
    this.failureType = options.failureType;
  }
}
