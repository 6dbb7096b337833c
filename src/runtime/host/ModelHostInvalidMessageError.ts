import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * A message crossing the model host boundary does not match modelHostProtocol, or came at the wrong
 * time (a call before `init`). The side that received it answers with this error and carries on.
 */
export class ModelHostInvalidMessageError extends NightshiftError {
  constructor(options: {
    /** The message's `type`, when it had a readable one. */
    messageType: string | null;
    /** What is wrong, e.g. `request.role: Invalid option`. */
    problem: string;
  }) {
    super({
      code: 'MODEL_HOST_INVALID_MESSAGE',
      message: `The model host rejected a${options.messageType ? ` "${options.messageType}"` : 'n unreadable'} message: ${options.problem}`,
      hint: 'Both sides of the model host must run the same Nightshift build; a request the protocol rejects is a bug in its sender.',
      context: { messageType: options.messageType, problem: options.problem },
    });
  }
}
