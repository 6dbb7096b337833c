/** One level and rails mode present in both of two benchmark runs, with the medians of each. */
export interface BenchComparisonRow {
  levelId: string;
  rails: 'on' | 'off';
  /** By figure name (`committed`, `hiddenPassed`, `falseGo`, `wallMs`, ...): run A's median and run B's. */
  figures: Record<string, { a: number; b: number }>;
}
