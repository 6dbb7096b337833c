import { NightshiftError } from '../../shared/NightshiftError.js';

/** Direct mode cannot deliver to the branch the user chose. */
export class DirectModeError extends NightshiftError {
  constructor(options: { message: string; context: Record<string, unknown> }) {
    super({
      code: 'DIRECT_MODE_REFUSED',
      message: options.message,
      hint: 'Name an existing branch that is not checked out (--direct BRANCH), or use the default branch mode, which delivers to nightshift/<session>.',
      context: options.context,
    });
  }
}
