const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A local time of day as `HH:MM`, the way the session form takes it. */
export function formatClockTime(options: {
  /** Epoch milliseconds. */
  at: number;
}): string {
  return clock.format(new Date(options.at));
}
