import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProtocolName, ProtocolResult } from '../../shared/protocol.js';

/** A call to the host failed: the host said why, or it could not be reached or understood. */
export class ApiCallError extends NightshiftError {
  constructor(options: {
    /** The message that was sent. */
    name: ProtocolName;
    /** The failure as the host described it, or as the client observed it. */
    failure: { code: string; message: string; hint: string; context?: Record<string, unknown> };
    cause?: unknown;
  }) {
    super({
      code: options.failure.code,
      message: options.failure.message,
      hint: options.failure.hint,
      context: { ...options.failure.context, message: options.name },
      cause: options.cause,
    });
  }

  /**
   * The value of a successful result; for a failed one, throws the host's error rebuilt from its wire form
   * as an `ApiCallError` that keeps its code, hint, context (plus the class name as `remoteName`) and cause.
   */
  static unwrap<T>(name: ProtocolName, result: ProtocolResult<T>): T {
    if (result.ok) return result.value;
    throw NightshiftError.fromJSON({
      data: result.error,
      otherwise: (data) => new ApiCallError({ name, failure: { ...data, context: { ...data.context, remoteName: data.name } } }),
    });
  }
}
