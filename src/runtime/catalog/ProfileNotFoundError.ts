import { NightshiftError } from '../../shared/NightshiftError.js';

/** No catalog profile has the requested id, or the machine has less memory than the smallest tier. */
export class ProfileNotFoundError extends NightshiftError {
  constructor(options: {
    message: string;
    /** Ids and tiers of the profiles there are, e.g. `mac-16gb (16 GB)`. */
    available: string[];
    context?: Record<string, unknown>;
  }) {
    super({
      code: 'PROFILE_NOT_FOUND',
      message: options.message,
      hint: `Pick one with --profile: ${options.available.join(', ')}; or add a profile in ~/.nightshift/models.json.`,
      context: { available: options.available, ...options.context },
    });
  }
}
