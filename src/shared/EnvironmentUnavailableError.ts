import { NightshiftError } from './NightshiftError.js';

/** The part of the environment that failed. */
export type EnvironmentComponent = 'model' | 'sandbox' | 'runner' | 'dependencies';

/**
 * Something the night depends on is not there: a model endpoint or process that does not answer, a sandbox
 * that cannot run commands, a test runner or declared dependency missing where commands run. It is never
 * the model's mistake, so the loop pauses the session and re-checks instead of spending attempts on it.
 * Subclasses (the model transport errors) keep their own codes and hints.
 */
export class EnvironmentUnavailableError extends NightshiftError {
  readonly component: EnvironmentComponent;

  constructor(options: {
    component: EnvironmentComponent;
    /** Stable code. Default `ENVIRONMENT_UNAVAILABLE`. */
    code?: string;
    message: string;
    hint: string;
    context?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super({
      code: options.code ?? 'ENVIRONMENT_UNAVAILABLE',
      message: options.message,
      hint: options.hint,
      ...(options.context === undefined ? {} : { context: options.context }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.component = options.component;
  }
}
