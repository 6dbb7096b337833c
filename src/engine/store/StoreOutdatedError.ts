import { NightshiftError } from '../../shared/NightshiftError.js';

/** A database opened read-only was written by an older Nightshift and needs a write to be upgraded. */
export class StoreOutdatedError extends NightshiftError {
  constructor(options: {
    /** Absolute path of the database file. */
    path: string;
    /** The file's schema version. */
    version: number;
    /** The schema version this Nightshift needs. */
    needed: number;
  }) {
    super({
      code: 'STORE_OUTDATED',
      message: `The Nightshift database at ${options.path} was written by an older Nightshift (schema version ${options.version}, this one needs ${options.needed}), and upgrading it needs a write.`,
      hint: 'Run any Nightshift command with write access to its folder (`nightshift status` does it when the folder is writable); the upgrade happens in place.',
      context: { path: options.path, version: options.version, needed: options.needed },
    });
  }
}
