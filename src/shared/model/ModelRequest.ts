import type { z } from 'zod';
import type { ModelRole } from '../modelRole.js';
import type { ModelCallMeta } from './ModelCallMeta.js';

/** A structured call as the engine makes it: the output schema is zod, and the answer comes back validated. */
export interface ModelRequest<T> {
  role: ModelRole;
  /** Versioned prompt id, e.g. `coder-green@1`, recorded with the call. */
  promptId: string;
  system: string;
  user: string;
  /** Output must be JSON matching this schema; backends constrain generation with it and validate again. */
  schema: z.ZodType<T>;
  meta: ModelCallMeta;
  /** Sampling temperature. Default: the backend's per-role setting. */
  temperature?: number;
  seed?: number;
  /** Maximum output tokens. Default: the backend's per-role setting. */
  maxTokens?: number;
  signal?: AbortSignal;
  /** Receives output text as it is generated. */
  onToken?: (text: string) => void;
}
