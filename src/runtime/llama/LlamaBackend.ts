import type { LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { JsonGenerateResult } from '../../shared/model/JsonGenerateResult.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import type { EmbeddingResult } from '../../shared/modelHostProtocol.js';
import type { ModelRole } from '../../shared/modelRole.js';
import type { LlamaBackendStats } from './LlamaBackendStats.js';

/** The JsonModelBackend of createLlamaBackend, with its extras. */
export interface LlamaBackend extends JsonModelBackend {
  /**
   * One answer per temperature to the same request, generated one after another on the role's context,
   * each from a clean state and with the request's seed.
   */
  generateCandidates(
    request: JsonGenerateRequest,
    options: {
      /** Sampling temperatures, one candidate each, in this order. */
      temperatures: number[];
      signal?: AbortSignal;
      /** Receives each candidate's output text as it is generated, with the candidate's index. */
      onToken?: (text: string, index: number) => void;
    },
  ): Promise<JsonGenerateResult[]>;
  /**
   * One embedding vector per text, computed one text after another on the embedding role's context, in
   * order. Calls run one at a time. Throws EmbeddingNotConfiguredError without an embedding role, and
   * LlamaCallAbortedError when the signal aborts or the backend is disposed (checked between texts: a
   * text being embedded finishes first, which takes milliseconds).
   */
  embed(options: {
    /** The texts, each within the embedding role's contextSize in tokens. */
    texts: string[];
    signal?: AbortSignal;
  }): Promise<EmbeddingResult>;
  /** Load counters and what is resident now. */
  stats(): LlamaBackendStats;
  /**
   * Without budgetBytes: loads every model and creates every role's context now, one file after another
   * in the order the roles (brain, coder, qa, embedding) first name them; calls do this themselves when needed.
   * With budgetBytes: first refuses with ModelCannotFitError, before loading anything, a model that could
   * not fit even beside the pinned models alone; then loads the models that are not on demand (pinned
   * first, then by priority, then in role order) as far as they fit beside each other without evicting
   * anything, leaving the rest to the calls that need them. Idempotent.
   */
  load(): Promise<void>;
  /** The loaded model and the role's own context, or null while it is not loaded; for inspection and tests. */
  loaded(role: ModelRole): { model: LlamaModel; context: LlamaContext } | null;
}
