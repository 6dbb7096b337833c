import { NightshiftError } from '../../shared/NightshiftError.js';
import { formatBytes } from './formatBytes.js';

/** There is not enough free disk space for a model file (plus a safety margin). */
export class InsufficientDiskError extends NightshiftError {
  readonly neededBytes: number;
  readonly freeBytes: number;

  constructor(options: {
    /** Model id being added. */
    id: string;
    /** Folder the file would be written to. */
    dir: string;
    /** Bytes still to write, plus the margin kept free. */
    neededBytes: number;
    /** Bytes available on the folder's file system. */
    freeBytes: number;
    cause?: unknown;
  }) {
    super({
      code: 'INSUFFICIENT_DISK',
      message: `Not enough disk space for model "${options.id}": it needs ${formatBytes({ bytes: options.neededBytes })} and ${formatBytes({ bytes: options.freeBytes })} is free in ${options.dir}.`,
      hint: 'Free some space (`nightshift models rm <id>` removes a model you no longer use), or put the data directory on a bigger disk with --data-dir <path> or NIGHTSHIFT_HOME=<path>.',
      context: { id: options.id, dir: options.dir, neededBytes: options.neededBytes, freeBytes: options.freeBytes },
      cause: options.cause,
    });
    this.neededBytes = options.neededBytes;
    this.freeBytes = options.freeBytes;
  }
}
