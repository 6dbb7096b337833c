import { NightshiftError } from '../../shared/NightshiftError.js';

/** The data directory cannot be created or written. */
export class DataDirError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the data directory (or the subdirectory that failed). */
    dir: string;
    /** What failed, in a few words. */
    reason: string;
    cause?: unknown;
  }) {
    super({
      code: 'DATA_DIR_UNAVAILABLE',
      message: `The Nightshift data directory ${options.dir} is not usable: ${options.reason}`,
      hint: 'Choose a writable directory with --data-dir <path> or by setting NIGHTSHIFT_HOME=<path>.',
      context: { dir: options.dir, reason: options.reason },
      cause: options.cause,
    });
  }
}
