import type { ModelRole } from '../modelRole.js';
import type { ModelCallMeta } from './ModelCallMeta.js';

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
