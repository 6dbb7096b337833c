import { NightshiftError } from '../../../shared/NightshiftError.js';

/** An error in one line for feedback and records: a Nightshift error carries its code. */
export function describeError(error: unknown): string {
  if (error instanceof NightshiftError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
