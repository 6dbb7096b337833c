/** The local calendar day of a time as `YYYY-MM-DD`, the form a date input shows and CSV sorts by. */
export function formatDay(options: {
  /** Epoch milliseconds. */
  at: number;
}): string {
  const date = new Date(options.at);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
