import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * The database file exists but cannot be trusted: it is not SQLite, fails its integrity check, or was
 * written by a newer Nightshift. The file is left exactly as it was found.
 */
export class StoreCorruptError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the database file. */
    path: string;
    /** What is wrong with it, in a few words. */
    reason: string;
    /** Overrides the default advice (move the file aside). */
    hint?: string;
    cause?: unknown;
  }) {
    super({
      code: 'STORE_CORRUPT',
      message: `The Nightshift database at ${options.path} cannot be used: ${options.reason}`,
      hint:
        options.hint ??
        `Move ${options.path} (and any -wal/-shm files beside it) aside and re-run; Nightshift never recreates a damaged database.`,
      context: { path: options.path, reason: options.reason },
      cause: options.cause,
    });
  }
}
