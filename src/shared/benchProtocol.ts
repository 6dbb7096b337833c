import { z } from 'zod';
import type { BenchComparisonRow } from './BenchComparisonRow.js';
import type { BenchFigures } from './BenchFigures.js';

/*
 * The Metrics view's Benchmarks messages (`bench/runs`, `bench/compare`): stored `nightshift bench run`
 * results, read from the database's bench_runs table.
 */

/** Runs `bench/runs` answers at most when the request does not say. */
export const BENCH_RUNS_DEFAULT_LIMIT = 50;

export const benchRunsRequestSchema = z
  .object({
    /** The newest runs to answer, 1 to 200. Default `BENCH_RUNS_DEFAULT_LIMIT`. */
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();

export const benchCompareRequestSchema = z
  .object({
    /** The run compared from (A), as `bench/runs` names it. */
    a: z.string().min(1).max(200),
    /** The run compared with (B); deltas are B minus A. */
    b: z.string().min(1).max(200),
  })
  .strict();

/** One stored benchmark run with its figures per level and rails mode. */
export interface BenchRunView {
  runId: string;
  /** Epoch milliseconds the run started. */
  startedAt: number;
  /** The `--models` spec it ran with. */
  models: string;
  /** Level ids, sorted. */
  levels: string[];
  /** The rails modes it ran, `on` before `off`. */
  rails: Array<'on' | 'off'>;
  /** `--repeat N`. */
  repeats: number;
  /** Per level and rails mode (on before off), each figure over the repeats. */
  figures: BenchFigures[];
}

/** The stored runs, newest first. */
export interface BenchRunsPage {
  runs: BenchRunView[];
  /** Runs stored, including those past the limit. */
  total: number;
  /** The harness-overhead target per attempt, a fraction of the attempt's wall time (0.05). */
  harnessOverheadTarget: number;
}

/** Two stored runs side by side: medians of the levels and rails modes both ran. */
export interface BenchComparison {
  a: BenchRunView;
  b: BenchRunView;
  rows: BenchComparisonRow[];
}
