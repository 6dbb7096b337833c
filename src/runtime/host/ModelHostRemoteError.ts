import { NightshiftError } from '../../shared/NightshiftError.js';
import type { HostedError } from '../../shared/modelHostProtocol.js';

/**
 * An error the backend raised inside the model process, rebuilt on this side. It keeps the original
 * `code`, `hint` and `context`, so code that checks codes (`SCRIPT_EXHAUSTED`, `SCRIPT_INVALID`, ...)
 * works as it would in process; `context.remoteName` names the original class.
 */
export class ModelHostRemoteError extends NightshiftError {
  constructor(options: {
    /** The error as the child reported it. */
    error: HostedError;
  }) {
    const { error } = options;
    super({ code: error.code, message: error.message, hint: error.hint, context: { ...error.context, remoteName: error.name } });
  }
}
