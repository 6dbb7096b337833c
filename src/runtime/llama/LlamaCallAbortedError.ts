import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';

/**
 * A llama.cpp call was cancelled mid-flight, by its AbortSignal or by disposing the backend. It is a
 * ModelCallAbortedError (code `MODEL_CALL_ABORTED`, name `AbortError`), so every cancellation check that
 * recognises the other backends' cancellations recognises this one; `context` also says why it stopped
 * and how much had been generated.
 */
export class LlamaCallAbortedError extends ModelCallAbortedError {
  constructor(options: {
    role: string;
    promptId: string;
    /** What cancelled the call. */
    reason: 'signal' | 'disposed';
    /** Output tokens generated before the call stopped. */
    outputTokens: number;
  }) {
    super({ role: options.role, promptId: options.promptId });
    Object.assign(this.context, { reason: options.reason, outputTokens: options.outputTokens });
  }
}
