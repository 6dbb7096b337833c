/**
 * A table as CSV (RFC 4180): a header line, then one line per row, each ending in CRLF. A cell holding a
 * comma, quote or line break is quoted with its quotes doubled; numbers are written as JavaScript prints them.
 */
export function toCsv(options: {
  /** Column headings. */
  columns: readonly string[];
  /** Cells in column order. */
  rows: ReadonlyArray<ReadonlyArray<string | number>>;
}): string {
  const cell = (value: string | number): string => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [options.columns, ...options.rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}
