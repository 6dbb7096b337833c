const sameYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const otherYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** A compact local date and time, e.g. `Nov 21, 05:04`; older years show the date only. */
export function formatTimestamp(options: {
  /** Epoch milliseconds. */
  at: number;
  /** Epoch milliseconds taken as "now" to decide whether the year is worth showing. Default: `Date.now()`. */
  now?: number;
}): string {
  const date = new Date(options.at);
  const now = new Date(options.now ?? Date.now());
  return (date.getFullYear() === now.getFullYear() ? sameYear : otherYear).format(date);
}
