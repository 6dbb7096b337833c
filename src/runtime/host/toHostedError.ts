import type { HostedError } from '../../shared/modelHostProtocol.js';
import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * Flattens any thrown value into the protocol's error shape (`NightshiftError.toData`); a cancellation
 * becomes `MODEL_CALL_ABORTED` and any other foreign error a backend failure.
 */
export function toHostedError(options: {
  /** What was thrown. */
  error: unknown;
}): HostedError {
  const { error } = options;
  return NightshiftError.toData({ error, fallback: fallbackFor(error) });
}

function fallbackFor(error: unknown): { code: string; hint: string } {
  if (!(error instanceof Error)) return { code: 'MODEL_BACKEND_FAILED', hint: 'The model backend threw a non-Error value; this is a bug in the backend.' };
  if (error.name === 'AbortError') return { code: 'MODEL_CALL_ABORTED', hint: 'Nothing to fix: the call was cancelled.' };
  return { code: 'MODEL_BACKEND_FAILED', hint: 'The model backend failed unexpectedly; the stack in the context shows where.' };
}
