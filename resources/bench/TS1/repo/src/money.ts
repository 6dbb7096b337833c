/** Formats a whole number of cents as dollars with two decimals, e.g. 1999 -> "19.99". */
export function formatCents(cents: number): string {
  if (!Number.isInteger(cents)) throw new RangeError(`cents must be a whole number, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
