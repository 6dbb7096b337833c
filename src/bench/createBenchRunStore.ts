import Database from 'better-sqlite3';
import { createSqliteStore } from '../engine/store/createSqliteStore.js';
import { benchRunRecordOf, type BenchRunRow } from './benchRunRecordOf.js';
import type { BenchLevelResult } from '../shared/BenchLevelResult.js';

/** One level, rails mode and repeat of a stored benchmark run. */
export interface BenchRunRecord {
  /** Groups the levels, modes and repeats of one `nightshift bench run`. */
  runId: string;
  /** Epoch milliseconds the run started. */
  startedAt: number;
  /** The `--models` spec. */
  models: string;
  rails: 'on' | 'off';
  levelId: string;
  /** 0-based, under `--repeat N`. */
  repeatIndex: number;
  result: BenchLevelResult;
}

/** A stored run as `nightshift bench list` shows it. */
export interface BenchRunSummary {
  runId: string;
  startedAt: number;
  models: string;
  levels: string[];
  rails: Array<'on' | 'off'>;
  repeats: number;
}

export interface BenchRunStore {
  save(record: BenchRunRecord): void;
  /** A run's records in level, rails and repeat order; empty when there is no such run. */
  getRun(runId: string): BenchRunRecord[];
  /** Every run, newest first. */
  listRuns(): BenchRunSummary[];
  dispose(): void;
}

/**
 * The `bench_runs` table of the data directory's database. Kept out of the engine's Store port on purpose:
 * benchmark results are the CLI's and the Metrics view's reading, never the loop's, so the port and its
 * in-memory double stay about the loop. The database is created and migrated by the engine's store first.
 */
export function createBenchRunStore(options: {
  /** The database file (`openDataDir(...).dbPath`). */
  dbPath: string;
}): BenchRunStore {
  createSqliteStore({ path: options.dbPath }).dispose();
  const db = new Database(options.dbPath);
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare<[string, number, string, string, string, number, string]>(
    'INSERT INTO bench_runs (run_id, started_at, models, rails, level_id, repeat_index, result) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byRun = db.prepare<[string], BenchRunRow>('SELECT * FROM bench_runs WHERE run_id = ? ORDER BY level_id, rails DESC, repeat_index');
  const all = db.prepare<[], BenchRunRow>('SELECT run_id, started_at, models, rails, level_id, repeat_index, \'\' AS result FROM bench_runs ORDER BY started_at DESC, run_id DESC, id');
  return {
    save(record) {
      insert.run(record.runId, record.startedAt, record.models, record.rails, record.levelId, record.repeatIndex, JSON.stringify(record.result));
    },
    getRun(runId) {
      return byRun.all(runId).map(benchRunRecordOf);
    },
    listRuns() {
      const runs = new Map<string, BenchRunSummary>();
      for (const row of all.all()) {
        const run = runs.get(row.run_id) ?? { runId: row.run_id, startedAt: row.started_at, models: row.models, levels: [], rails: [], repeats: 0 };
        if (!run.levels.includes(row.level_id)) run.levels.push(row.level_id);
        if (!run.rails.includes(row.rails)) run.rails.push(row.rails);
        run.repeats = Math.max(run.repeats, row.repeat_index + 1);
        runs.set(row.run_id, run);
      }
      return [...runs.values()];
    },
    dispose() {
      db.close();
    },
  };
}
