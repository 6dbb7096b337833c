import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * A project's session settings were refused. `field` names the setting to show `reason` next to, so a form
 * can point at it; both travel in the context as well, since that is what crosses the protocol.
 */
export class ProjectSettingsInvalidError extends NightshiftError {
  readonly field: string;
  readonly reason: string;

  constructor(options: {
    /** The setting at fault, as named in ProjectSettings (`targetBranch`), or `settings` for the whole. */
    field: string;
    /** Why it is refused, in a few words a form can show as is. */
    reason: string;
    cause?: unknown;
  }) {
    super({
      code: 'PROJECT_SETTINGS_INVALID',
      message: `The project settings cannot be saved: ${options.field}: ${options.reason}.`,
      hint: `Correct ${options.field} and save again; the saved settings were left as they were.`,
      context: { field: options.field, reason: options.reason },
      cause: options.cause,
    });
    this.field = options.field;
    this.reason = options.reason;
  }
}
