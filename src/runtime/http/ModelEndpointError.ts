import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** Longest part of a response body kept in the message and context. */
const EXCERPT_CHARS = 500;

/**
 * An OpenAI-compatible endpoint answered, but not with a completion: an HTTP error status, an error
 * event inside the stream, or a body that is not a chat completion.
 */
export class ModelEndpointError extends EnvironmentUnavailableError {
  /** The HTTP status of the response (200 when the failure came inside a successful stream). */
  readonly status: number;

  constructor(options: {
    /** The endpoint called, e.g. `http://127.0.0.1:11434/v1/chat/completions`. */
    url: string;
    model: string;
    status: number;
    /** The response body or error event, as text; only an excerpt is kept. */
    body: string;
    cause?: unknown;
  }) {
    const excerpt = options.body.length > EXCERPT_CHARS ? `${options.body.slice(0, EXCERPT_CHARS)}…` : options.body;
    super({
      component: 'model',
      code: 'MODEL_ENDPOINT_ERROR',
      message: `The model endpoint ${options.url} answered HTTP ${options.status} for model "${options.model}": ${excerpt || '(empty body)'}`,
      hint: hintFor(options.status),
      context: { url: options.url, model: options.model, status: options.status, body: excerpt },
      cause: options.cause,
    });
    this.status = options.status;
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return 'Check the API key (NIGHTSHIFT_OPENAI_API_KEY, or the token `nightshift models serve` printed).';
  if (status === 404) return 'Check the base URL (it usually ends in /v1) and that the server has the model loaded under exactly this name (GET <baseUrl>/models lists them).';
  return 'Check the base URL, the model name and the API key; the server log usually says more.';
}
