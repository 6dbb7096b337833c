import { NightshiftError } from '../NightshiftError.js';

/** A model's output did not parse as JSON or did not match the requested schema. Retryable. */
export class ModelOutputError extends NightshiftError {
  constructor(options: { role: string; promptId: string; output: string; issues: string; cause?: unknown }) {
    super({
      code: 'MODEL_OUTPUT_INVALID',
      message: `The ${options.role} model's output for ${options.promptId} is not valid: ${options.issues}`,
      hint: 'The loop retries with the validation error as feedback; persistent failures point at the model or prompt.',
      context: { role: options.role, promptId: options.promptId, output: options.output.slice(0, 2000), issues: options.issues },
      cause: options.cause,
    });
  }
}
