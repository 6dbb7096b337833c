import { NightshiftError } from '../NightshiftError.js';

/**
 * A model call was cancelled through its AbortSignal or by disposing the client. Its `name` is
 * `AbortError`, like the platform's, so generic cancellation checks recognise it.
 */
export class ModelCallAbortedError extends NightshiftError {
  constructor(options: { role: string; promptId: string }) {
    super({
      code: 'MODEL_CALL_ABORTED',
      message: `The ${options.role} model call for ${options.promptId} was cancelled.`,
      hint: 'Nothing to fix: the session was stopped or the client disposed.',
      context: { role: options.role, promptId: options.promptId },
    });
    this.name = 'AbortError';
  }
}
