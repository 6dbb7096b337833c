import type { ModelRole } from '../modelRole.js';
import type { JsonGenerateRequest } from './JsonGenerateRequest.js';
import type { JsonGenerateResult } from './JsonGenerateResult.js';

/**
 * The one interface every model backend implements: scripted, llama.cpp in process, the model host
 * (llama.cpp or a script in a child process) and OpenAI-compatible HTTP. It takes the output schema as
 * raw JSON Schema, because that is what constrains generation (a grammar, `response_format`) and what
 * crosses process and HTTP boundaries, and hands back the text unvalidated. The engine never sees a
 * backend: createModelClientFromBackend, the only bridge, turns one into the zod-validating ModelClient,
 * so parsing and validation are written once, and a backend (the host, `models serve`, `models try`)
 * can pass any other backend's output on untouched. Cancellation rejects with ModelCallAbortedError.
 */
export interface JsonModelBackend {
  generate(
    request: JsonGenerateRequest,
    options?: { signal?: AbortSignal; onToken?: (text: string) => void },
  ): Promise<JsonGenerateResult>;
  describe(role: ModelRole): { model: string; backend: string };
  dispose(): Promise<void>;
}
