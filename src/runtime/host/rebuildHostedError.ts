import { ModelOutputError } from '../../shared/model/ModelOutputError.js';
import { EmbeddingNotConfiguredError } from '../llama/EmbeddingNotConfiguredError.js';
import type { HostedError } from '../../shared/modelHostProtocol.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
import { ModelHostInvalidMessageError } from './ModelHostInvalidMessageError.js';
import { ModelHostRemoteError } from './ModelHostRemoteError.js';

/**
 * Turns an error reported by the model process back into a typed error (`NightshiftError.fromJSON`): the
 * classes callers branch on (cancellation, invalid output, protocol errors, a missing embedding model) come
 * back as themselves, anything else as a ModelHostRemoteError that keeps its code and hint.
 */
export function rebuildHostedError(options: {
  error: HostedError;
  /** The role of the call that failed. */
  role: string;
  /** The prompt id of the call that failed. */
  promptId: string;
}): Error {
  const { error, role, promptId } = options;
  return NightshiftError.fromJSON({
    data: error,
    revivers: {
      // Any cancellation, a NightshiftError or the platform's own, is named AbortError.
      AbortError: () => new ModelCallAbortedError({ role, promptId }),
      [ModelOutputError.name]: (data) =>
        new ModelOutputError({ role, promptId, output: String(data.context.output ?? ''), issues: String(data.context.issues ?? data.message) }),
      [EmbeddingNotConfiguredError.name]: (data) => {
        const backend = data.context.backend;
        return new EmbeddingNotConfiguredError(typeof backend === 'string' ? { backend } : {});
      },
      [ModelHostInvalidMessageError.name]: (data) => {
        const messageType = data.context.messageType;
        return new ModelHostInvalidMessageError({ messageType: typeof messageType === 'string' ? messageType : null, problem: String(data.context.problem ?? data.message) });
      },
    },
    otherwise: (data) => new ModelHostRemoteError({ error: data }),
  });
}
