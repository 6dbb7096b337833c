import { NightshiftError } from '../shared/NightshiftError.js';
import type { ProtocolName } from '../shared/protocol.js';

/** A request that does not match its message's schema reached the host. */
export class InvalidRequestError extends NightshiftError {
  constructor(options: {
    /** The message the request was sent as. */
    name: ProtocolName;
    /** The schema's complaints, one per line. */
    issues: string[];
    /**
     * Dotted path of the first input at fault (e.g. `settings.maxAttempts`) with its reason, so a form can
     * show it next to the field; absent when the request as a whole is wrong.
     */
    field?: { path: string; reason: string };
  }) {
    super({
      code: 'INVALID_REQUEST',
      message: `The ${options.name} request is invalid: ${options.issues.join('; ')}`,
      hint: 'This is a bug in the sender (the window or a script); the request was not acted on.',
      context: {
        name: options.name,
        issues: options.issues,
        ...(options.field ? { field: options.field.path, reason: options.field.reason } : {}),
      },
    });
  }
}
