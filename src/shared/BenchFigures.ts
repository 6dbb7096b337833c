/** A figure over the repeats of one level and rails mode. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/**
 * The figures `nightshift bench` prints for one level in one rails mode, each over the repeats; also what the
 * Metrics view's Benchmarks section shows, so it lives here where the protocol can name it.
 */
export interface BenchFigures {
  levelId: string;
  rails: 'on' | 'off';
  repeats: number;
  total: number;
  committed: Spread;
  hiddenPassed: Spread;
  hiddenTotal: Spread;
  firstRunPassRate: Spread;
  attemptsPerTask: Spread;
  deadlocks: Spread;
  escalations: Spread;
  falseGo: Spread;
  wallMs: Spread;
  modelMs: Spread;
  testsMs: Spread;
  harnessMs: Spread;
  /** The worst attempt's overhead in each repeat. */
  harnessOverheadMax: Spread;
  /** Whether every attempt of every repeat stayed within `HARNESS_OVERHEAD_TARGET`. */
  harnessOverheadMet: boolean;
  /** Summed over the repeats. */
  failuresByType: Record<string, number>;
  failuresByRail: Record<string, number>;
  tokens: Record<string, { promptTokens: Spread; outputTokens: Spread; tokensPerSecond: Spread }>;
  /** Environment errors' messages, one per repeat that had one. */
  environmentErrors: string[];
}
