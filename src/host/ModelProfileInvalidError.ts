import { NightshiftError } from '../shared/NightshiftError.js';

/**
 * A profile edit the planner refuses: a context below its role's minimum or above the model's trained
 * context, an unknown model or profile, roles sharing a model with different offloads. `context.field`
 * names the input at fault (e.g. `profile.roles.coder.contextSize`) so the editor shows it there.
 */
export class ModelProfileInvalidError extends NightshiftError {
  constructor(options: {
    /** Dotted path of the request field at fault. */
    field: string;
    /** Why, in words, shown next to the field. */
    reason: string;
  }) {
    super({
      code: 'MODEL_PROFILE_INVALID',
      message: `The model profile is refused: ${options.reason}`,
      hint: 'Change the marked field; nothing was planned or saved.',
      context: { field: options.field, reason: options.reason },
    });
  }
}
