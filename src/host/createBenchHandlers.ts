import Database from 'better-sqlite3';
import { compareBenchRuns } from '../bench/compareBenchRuns.js';
import { benchRunRecordOf, type BenchRunRow } from '../bench/benchRunRecordOf.js';
import type { BenchRunRecord } from '../bench/createBenchRunStore.js';
import { groupFigures } from '../bench/groupFigures.js';
import { HARNESS_OVERHEAD_TARGET } from '../bench/HARNESS_OVERHEAD_TARGET.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import { BENCH_RUNS_DEFAULT_LIMIT, type BenchRunView } from '../shared/benchProtocol.js';
import { BenchRunNotFoundError } from './BenchRunNotFoundError.js';
import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';

type BenchHandlers = Pick<HostHandlers, 'bench/runs' | 'bench/compare'>;

/** The newest runs' ids, then all their rows, in the order `createBenchRunStore`'s `getRun` gives a run's records. */
const NEWEST_RUNS_SQL = `
  WITH newest AS (
    SELECT run_id, MIN(started_at) AS started FROM bench_runs GROUP BY run_id ORDER BY started DESC, run_id DESC LIMIT ?
  )
  SELECT r.run_id, r.started_at, r.models, r.rails, r.level_id, r.repeat_index, r.result
  FROM bench_runs r JOIN newest n ON n.run_id = r.run_id
  ORDER BY n.started DESC, r.run_id DESC, r.level_id, r.rails DESC, r.repeat_index`;

const RUN_SQL = 'SELECT run_id, started_at, models, rails, level_id, repeat_index, result FROM bench_runs WHERE run_id = ? ORDER BY level_id, rails DESC, repeat_index';

/**
 * The Metrics view's Benchmarks messages: stored `nightshift bench run` results through a read-only connection
 * of their own (as the metrics queries read), opened on first use and closed with the host. The figures and the
 * comparison are `nightshift bench`'s own, so the view and the CLI never disagree.
 */
export function createBenchHandlers(options: {
  context: HostContext;
  /** Aborted when the host closes; the read connection closes with it. */
  closed: AbortSignal;
  /** `better_sqlite3.node` built for this runtime's ABI (Electron's). Default: the package's own Node build. */
  nativeBinding?: string;
}): BenchHandlers {
  const { dbPath } = openDataDir({ dir: options.context.dataDir, readOnly: true });
  let connection: Database.Database | null = null;
  const db = (): Database.Database =>
    (connection ??= new Database(dbPath, {
      readonly: true,
      fileMustExist: true,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    }));
  options.closed.addEventListener(
    'abort',
    () => {
      connection?.close();
      connection = null;
    },
    { once: true },
  );

  // A database from before the benchmark's migration has no bench_runs table: nothing was ever stored there.
  const hasTable = (): boolean => db().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bench_runs'").get() !== undefined;
  const runRecords = (runId: string): BenchRunRecord[] => (hasTable() ? db().prepare<[string], BenchRunRow>(RUN_SQL).all(runId).map(benchRunRecordOf) : []);

  return {
    'bench/runs': ({ limit = BENCH_RUNS_DEFAULT_LIMIT }) => {
      if (!hasTable()) return { runs: [], total: 0, harnessOverheadTarget: HARNESS_OVERHEAD_TARGET };
      // One read transaction: the count and the runs are of the same snapshot while a bench run stores its levels.
      return db().transaction(() => {
        const total = (db().prepare('SELECT COUNT(DISTINCT run_id) AS total FROM bench_runs').get() as { total: number }).total;
        const byRun = new Map<string, BenchRunRecord[]>();
        for (const row of db().prepare<[number], BenchRunRow>(NEWEST_RUNS_SQL).all(limit)) {
          const records = byRun.get(row.run_id) ?? [];
          records.push(benchRunRecordOf(row));
          byRun.set(row.run_id, records);
        }
        return { runs: [...byRun.values()].map(viewOf), total, harnessOverheadTarget: HARNESS_OVERHEAD_TARGET };
      })();
    },

    'bench/compare': ({ a, b }) => {
      const [recordsA, recordsB] = [runRecords(a), runRecords(b)];
      const missing = [...new Set([recordsA.length === 0 ? a : null, recordsB.length === 0 ? b : null].filter((id) => id !== null))];
      if (missing.length > 0) throw new BenchRunNotFoundError({ missing });
      return { a: viewOf(recordsA), b: viewOf(recordsB), rows: compareBenchRuns({ a: recordsA, b: recordsB }) };
    },
  };
}

/** A run's records (at least one, in `getRun`'s order) as the view shows the run. */
function viewOf(records: BenchRunRecord[]): BenchRunView {
  const first = records[0]!;
  return {
    runId: first.runId,
    startedAt: Math.min(...records.map((record) => record.startedAt)),
    models: first.models,
    levels: [...new Set(records.map((record) => record.levelId))],
    rails: (['on', 'off'] as const).filter((mode) => records.some((record) => record.rails === mode)),
    repeats: Math.max(...records.map((record) => record.repeatIndex + 1)),
    figures: groupFigures({ records }),
  };
}
