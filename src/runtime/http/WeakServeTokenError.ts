import { NightshiftError } from '../../shared/NightshiftError.js';

/** The bearer token the model server would require is too short to keep other local users out. */
export class WeakServeTokenError extends NightshiftError {
  constructor(options: { length: number; minLength: number }) {
    super({
      code: 'SERVE_TOKEN_WEAK',
      message: `The serve token has ${options.length} characters; at least ${options.minLength} are required.`,
      hint: 'Leave --token and NIGHTSHIFT_SERVE_TOKEN unset to get a random token, or give a longer one.',
      context: { length: options.length, minLength: options.minLength },
    });
  }
}
