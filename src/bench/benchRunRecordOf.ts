import type { BenchLevelResult } from '../shared/BenchLevelResult.js';
import type { BenchRunRecord } from './createBenchRunStore.js';

/** A `bench_runs` row as SQLite returns it. */
export interface BenchRunRow {
  run_id: string;
  started_at: number;
  models: string;
  rails: 'on' | 'off';
  level_id: string;
  repeat_index: number;
  /** The level's BenchLevelResult as JSON. */
  result: string;
}

/** One stored level result, read back: the store's and the Metrics view's one reading of a row. */
export function benchRunRecordOf(row: BenchRunRow): BenchRunRecord {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    models: row.models,
    rails: row.rails,
    levelId: row.level_id,
    repeatIndex: row.repeat_index,
    result: JSON.parse(row.result) as BenchLevelResult,
  };
}
