import { CliUsageError } from './CliUsageError.js';

/** The next local time `HH:MM` after `now`, as epoch milliseconds. */
export function parseUntil(options: { value: string; now: number }): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(options.value.trim());
  if (!match) {
    throw new CliUsageError({ message: `--until "${options.value}" is not a time.`, hint: 'Use 24-hour HH:MM, e.g. --until 06:30.' });
  }
  const target = new Date(options.now);
  target.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (target.getTime() <= options.now) target.setDate(target.getDate() + 1);
  return target.getTime();
}
