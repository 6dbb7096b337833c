import { NightshiftError } from '../NightshiftError.js';
import type { ModelUsage } from './ModelUsage.js';

/** A model's output did not parse as JSON or did not match the requested schema. Retryable. */
export class ModelOutputError extends NightshiftError {
  /** What generating the rejected output cost; null when the backend's measurement did not come with the error. */
  readonly usage: ModelUsage | null;

  constructor(options: {
    role: string;
    promptId: string;
    output: string;
    issues: string;
    /** The call's measured cost: the tokens were spent even though the answer is unusable. */
    usage?: ModelUsage;
    cause?: unknown;
  }) {
    super({
      code: 'MODEL_OUTPUT_INVALID',
      message: `The ${options.role} model's output for ${options.promptId} is not valid: ${options.issues}`,
      hint: 'The loop retries with the validation error as feedback; persistent failures point at the model or prompt.',
      context: { role: options.role, promptId: options.promptId, output: options.output.slice(0, 2000), issues: options.issues },
      cause: options.cause,
    });
    this.usage = options.usage ?? null;
  }
}
