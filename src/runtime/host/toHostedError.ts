import type { HostedError } from '../../shared/modelHostProtocol.js';
import { NightshiftError } from '../../shared/NightshiftError.js';

const STACK_CHARS = 4000;

/** Flattens any thrown value into the protocol's error shape; context keeps only what survives JSON. */
export function toHostedError(options: {
  /** What was thrown. */
  error: unknown;
}): HostedError {
  const { error } = options;
  if (error instanceof NightshiftError) {
    return { code: error.code, message: error.message, hint: error.hint, name: error.name, context: jsonSafe(error.context) };
  }
  if (error instanceof Error) {
    const aborted = error.name === 'AbortError';
    return {
      code: aborted ? 'MODEL_CALL_ABORTED' : 'MODEL_BACKEND_FAILED',
      message: error.message,
      hint: aborted ? 'Nothing to fix: the call was cancelled.' : 'The model backend failed unexpectedly; the stack in the context shows where.',
      name: error.name,
      context: error.stack ? { stack: error.stack.slice(0, STACK_CHARS) } : {},
    };
  }
  return { code: 'MODEL_BACKEND_FAILED', message: String(error), hint: 'The model backend threw a non-Error value; this is a bug in the backend.', name: typeof error, context: {} };
}

function jsonSafe(context: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(context).flatMap(([key, value]) => {
      try {
        const text = JSON.stringify(value);
        return text === undefined ? [] : [[key, JSON.parse(text) as unknown]];
      } catch {
        return [[key, String(value)]];
      }
    }),
  );
}
