import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** No HTTP answer at all from an OpenAI-compatible endpoint: refused connection, unknown host, reset. */
export class ModelEndpointUnreachableError extends EnvironmentUnavailableError {
  constructor(options: {
    /** The endpoint called. */
    url: string;
    /** The system's reason, e.g. `ECONNREFUSED`. */
    reason: string;
    cause?: unknown;
  }) {
    super({
      component: 'model',
      code: 'MODEL_ENDPOINT_UNREACHABLE',
      message: `Cannot reach the model endpoint ${options.url} (${options.reason}).`,
      hint: 'Start the model server (ollama serve, llama-server, LM Studio, vLLM, nightshift models serve) or fix the host and port in the base URL.',
      context: { url: options.url, reason: options.reason },
      cause: options.cause,
    });
  }
}
