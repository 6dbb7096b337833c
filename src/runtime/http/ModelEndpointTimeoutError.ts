import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** A call to an OpenAI-compatible endpoint ran past its role's `timeoutMs`. */
export class ModelEndpointTimeoutError extends EnvironmentUnavailableError {
  constructor(options: { url: string; model: string; timeoutMs: number }) {
    super({
      component: 'model',
      code: 'MODEL_ENDPOINT_TIMEOUT',
      message: `The model endpoint ${options.url} did not finish a completion for "${options.model}" within ${options.timeoutMs} ms.`,
      hint: 'Raise timeoutMs for this role, lower maxTokens, or use a faster model; a busy server may also be queueing requests.',
      context: { url: options.url, model: options.model, timeoutMs: options.timeoutMs },
    });
  }
}
