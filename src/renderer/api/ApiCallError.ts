import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProtocolFailure, ProtocolName, ProtocolResult } from '../../shared/protocol.js';

/** A call to the host failed: the host said why, or it could not be reached or understood. */
export class ApiCallError extends NightshiftError {
  constructor(options: {
    /** The message that was sent. */
    name: ProtocolName;
    /** The failure as the host described it, or as the client observed it. */
    failure: ProtocolFailure;
    cause?: unknown;
  }) {
    super({
      code: options.failure.code,
      message: options.failure.message,
      hint: options.failure.hint,
      context: { message: options.name },
      cause: options.cause,
    });
  }

  /** The value of a successful result; throws `ApiCallError` for a failed one. */
  static unwrap<T>(name: ProtocolName, result: ProtocolResult<T>): T {
    if (result.ok) return result.value;
    throw new ApiCallError({ name, failure: result.error });
  }
}
