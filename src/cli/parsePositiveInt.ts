import { CliUsageError } from './CliUsageError.js';

/**
 * An option's value as a whole number of 1 or more. Only plain decimal digits count, so "1.5", "1e3",
 * "0x10", "" and "-1" are refused with a CliUsageError naming the option, never read as something else.
 */
export function parsePositiveInt(options: {
  /** The text the user typed. */
  value: string;
  /** How the user named it, e.g. `--limit`, used in the message. */
  flag: string;
}): number {
  const { value, flag } = options;
  const parsed = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new CliUsageError({ message: `${flag} must be a positive whole number, not "${value}".`, hint: `For example ${flag} 3.`, context: { flag, value } });
  }
  return parsed;
}
