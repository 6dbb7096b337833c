import { ModelOutputError } from '../../shared/model/ModelOutputError.js';
import { EmbeddingNotConfiguredError } from '../llama/EmbeddingNotConfiguredError.js';
import type { HostedError } from '../../shared/modelHostProtocol.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
import { ModelHostInvalidMessageError } from './ModelHostInvalidMessageError.js';
import { ModelHostRemoteError } from './ModelHostRemoteError.js';

/**
 * Turns an error reported by the model process back into a typed error: the classes callers branch on
 * (cancellation, invalid output, protocol errors, a missing embedding model) come back as themselves, anything else as a
 * ModelHostRemoteError that keeps its code and hint.
 */
export function rebuildHostedError(options: {
  error: HostedError;
  /** The role of the call that failed. */
  role: string;
  /** The prompt id of the call that failed. */
  promptId: string;
}): Error {
  const { error, role, promptId } = options;
  if (error.name === 'AbortError') return new ModelCallAbortedError({ role, promptId });
  if (error.code === 'MODEL_OUTPUT_INVALID') {
    return new ModelOutputError({ role, promptId, output: String(error.context.output ?? ''), issues: String(error.context.issues ?? error.message) });
  }
  if (error.code === 'EMBEDDING_NOT_CONFIGURED') {
    const backend = error.context.backend;
    return new EmbeddingNotConfiguredError(typeof backend === 'string' ? { backend } : {});
  }
  if (error.code === 'MODEL_HOST_INVALID_MESSAGE') {
    const messageType = error.context.messageType;
    return new ModelHostInvalidMessageError({ messageType: typeof messageType === 'string' ? messageType : null, problem: String(error.context.problem ?? error.message) });
  }
  return new ModelHostRemoteError({ error });
}
