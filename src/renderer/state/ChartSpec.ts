/** One chart of the Metrics view and the table behind it: what ChartCard draws, tabulates and exports. */
export interface ChartSpec {
  /** Stable id, also the CSV file's name: `nightshift-<id>.csv`. */
  id: string;
  title: string;
  /** What the numbers are, shown under the title. */
  caption: string;
  /** `table`: no chart, the table only (for rows that do not plot, such as fingerprints). */
  kind: 'bar' | 'line' | 'table';
  /** Bars of one label stacked into one column rather than side by side. */
  stacked?: boolean;
  /** The x axis, one label per point. */
  labels: string[];
  /** One series per legend entry; `tone` names a CSS tone (`ok`, `err`, ...) for its colour. */
  series: Array<{ label: string; values: number[]; tone: 'ok' | 'warn' | 'err' | 'run' | 'esc' | 'muted' }>;
  /** The y axis's unit, e.g. `tasks`, `%`, `s`. */
  unit: string;
  /** The table view and the CSV: headings, then one row per line. */
  columns: string[];
  rows: Array<Array<string | number>>;
}
