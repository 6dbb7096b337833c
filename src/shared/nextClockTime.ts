/**
 * The first moment strictly after `after` at which the local wall clock reads `time`, as epoch milliseconds:
 * today when that is still ahead, else tomorrow. So `23:00` then `07:00` (the second taken after the first)
 * spans midnight.
 */
export function nextClockTime(options: {
  /** `HH:MM`, 24-hour, already validated. */
  time: string;
  /** Epoch milliseconds. */
  after: number;
}): number {
  const [hours, minutes] = options.time.trim().split(':').map(Number);
  const target = new Date(options.after);
  target.setHours(hours ?? 0, minutes ?? 0, 0, 0);
  if (target.getTime() <= options.after) target.setDate(target.getDate() + 1);
  return target.getTime();
}
