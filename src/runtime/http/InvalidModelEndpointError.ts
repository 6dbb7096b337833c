import { NightshiftError } from '../../shared/NightshiftError.js';

/** A role's base URL is not an http(s) URL, so no call could ever succeed. */
export class InvalidModelEndpointError extends NightshiftError {
  constructor(options: { role: string; baseUrl: string }) {
    super({
      code: 'MODEL_ENDPOINT_INVALID',
      message: `The ${options.role} model's base URL "${options.baseUrl}" is not an http or https URL.`,
      hint: 'Give the server\'s OpenAI base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8080/v1 (llama-server).',
      context: { role: options.role, baseUrl: options.baseUrl },
    });
  }
}
