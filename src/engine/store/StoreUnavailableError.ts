import { NightshiftError } from '../../shared/NightshiftError.js';

/** The database cannot be opened or written for reasons outside the file's contents (permissions, disk, locks). */
export class StoreUnavailableError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the database file. */
    path: string;
    /** What failed, in a few words. */
    reason: string;
    /** Overrides the default advice. */
    hint?: string;
    cause?: unknown;
  }) {
    super({
      code: 'STORE_UNAVAILABLE',
      message: `The Nightshift database at ${options.path} is unavailable: ${options.reason}`,
      hint:
        options.hint ??
        'Check that the directory exists, is writable and has free space, or choose another data directory with --data-dir or NIGHTSHIFT_HOME.',
      context: { path: options.path, reason: options.reason },
      cause: options.cause,
    });
  }
}
