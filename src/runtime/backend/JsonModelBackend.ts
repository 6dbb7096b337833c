import type { ModelCallMeta, ModelUsage } from '../../engine/ports/ModelClient.js';
import type { ModelRole } from '../../shared/modelRole.js';

/** A structured-output request in serializable form: the output schema travels as JSON Schema. */
export interface JsonGenerateRequest {
  role: ModelRole;
  /** Versioned prompt id, e.g. `coder-green@1`. */
  promptId: string;
  system: string;
  user: string;
  /** JSON Schema the output must match; backends constrain generation with it (a grammar, `response_format`). */
  jsonSchema: Record<string, unknown>;
  meta: ModelCallMeta;
  /** Sampling temperature. Default: the backend's per-role setting. */
  temperature?: number;
  seed?: number;
  /** Maximum output tokens. Default: the backend's per-role setting. */
  maxTokens?: number;
}

export interface JsonGenerateResult {
  /** The raw output text (expected to be JSON; the caller parses and validates it). */
  text: string;
  model: string;
  backend: string;
  usage: ModelUsage;
}

/**
 * What every real model backend implements (llama.cpp in or out of process, OpenAI-compatible HTTP): it
 * produces text under a JSON Schema; `createModelClientFromBackend` turns it into the engine's ModelClient
 * by parsing and validating with the zod schema again.
 */
export interface JsonModelBackend {
  generate(
    request: JsonGenerateRequest,
    options?: { signal?: AbortSignal; onToken?: (text: string) => void },
  ): Promise<JsonGenerateResult>;
  describe(role: ModelRole): { model: string; backend: string };
  dispose(): Promise<void>;
}
