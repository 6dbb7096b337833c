import Database from 'better-sqlite3';
import { phaseNameSchema } from '../../shared/phaseName.js';
import type { HistoryPage, HistoryTaskRun, MetricsNight, MetricsSummary } from '../../shared/protocol.js';
import type { Decision } from '../../shared/decision.js';
import type { FailureType } from '../../shared/failureType.js';
import type { RailName } from '../../shared/railResultSchema.js';
import type { TaskStatus } from '../../shared/taskStatus.js';

/** Which sessions a query reads. Every field narrows; none given: every session of every project. */
export interface MetricsScope {
  /** Only this project's sessions (`projects.id`). */
  projectId?: number;
  /** Only sessions started at or after this time, epoch milliseconds. */
  from?: number;
  /** Only sessions started before this time, epoch milliseconds. */
  to?: number;
}

/** History's search within a scope. */
export interface HistorySearch extends MetricsScope {
  /** Text the task's title or id contains, case-insensitive; empty: no text filter. */
  query?: string;
  status?: TaskStatus;
  /** A rail that refused (failed, not skipped) one of the task run's attempts. */
  rail?: RailName;
  failureType?: FailureType;
  /** A decision one of the task run's attempts ended with. */
  decision?: Decision | 'INTERRUPTED';
  sessionId?: string;
  /** 0-based. Default 0. */
  page?: number;
  /** Default 50. */
  pageSize?: number;
}

export interface MetricsQueries {
  /** The Metrics view's numbers. */
  summary(scope: MetricsScope): MetricsSummary;
  /** One page of task runs, newest session first, then in the session's order. */
  searchHistory(search: HistorySearch): HistoryPage;
  /**
   * SQLite's `PRAGMA data_version` for this connection: it changes whenever another connection commits, so two
   * equal readings mean nothing was written in between and an answer computed between them still holds.
   */
  dataVersion(): number;
  /** `EXPLAIN QUERY PLAN` of every statement `summary` and `searchHistory` run for these filters, by name. */
  queryPlans(search: HistorySearch): Record<string, string[]>;
  dispose(): void;
}

const DEFAULT_PAGE_SIZE = 50;
const REPEATED_FINGERPRINTS_SHOWN = 50;
/** A task run ended and was either committed or refused (not skipped, not still queued or running). */
const FINISHED = `('done', 'failed', 'deadlocked', 'escalated')`;
const REFUSED_BY_RAIL = 'g.passed = 0 AND COALESCE(g.skipped, 0) = 0';

interface Statement {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The Metrics and History read model: aggregate SQL over the database file at `path`, through a read-only
 * connection of its own, so it reads while the store (or an engine process) writes. It is SQLite-only on
 * purpose, not part of the `Store` port: the engine never reads it, and its worth is in the indexes the SQL
 * uses (migration "indexes for the Metrics and History views"), which an in-memory store would only imitate.
 */
export function createMetricsQueries(options: {
  /** The database file; it must exist and be migrated (open it with `createSqliteStore` first). */
  path: string;
  /** Path to a `better_sqlite3.node` built for another runtime (Electron). Default: the package's own. */
  nativeBinding?: string;
}): MetricsQueries {
  const db = new Database(options.path, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
  });

  const all = <T>(statement: Statement): T[] => db.prepare<Record<string, unknown>, T>(statement.sql).all(statement.params);

  return {
    summary(scope) {
      const statements = summaryStatements(scope);
      // One read transaction: every chart counts the same snapshot even while a session writes.
      return db.transaction((): MetricsSummary => {
        const modelMs = new Map(all<{ phase: string | null; modelMs: number }>(statements.phaseModel).map((row) => [row.phase, row.modelMs]));
        const commandMs = new Map(all<{ phase: string; commandMs: number }>(statements.phaseCommands).map((row) => [row.phase, row.commandMs]));
        const phaseOrder: readonly string[] = phaseNameSchema.options;
        return {
          nights: all<MetricsNight>(statements.nights),
          attemptsPerTask: all(statements.attemptsPerTask),
          failuresByType: all(statements.failuresByType),
          refusalsByRail: all(statements.refusalsByRail),
          repeatedFingerprints: all(statements.repeatedFingerprints),
          tokens: all<{ role: string; model: string; calls: number; promptTokens: number; outputTokens: number; durationMs: number; generatingMs: number }>(
            statements.tokens,
          ).map(({ generatingMs, ...row }) => ({
            ...row,
            tokensPerSecond: generatingMs > 0 ? Math.round((row.outputTokens * 10_000) / generatingMs) / 10 : 0,
          })),
          phases: all<{ phase: string; runs: number; wallMs: number }>(statements.phaseWall)
            .map((row) => {
              const model = modelMs.get(row.phase) ?? 0;
              const commands = commandMs.get(row.phase) ?? 0;
              return { ...row, modelMs: model, commandMs: commands, harnessMs: Math.max(0, row.wallMs - model - commands) };
            })
            .sort((a, b) => phaseOrder.indexOf(a.phase) - phaseOrder.indexOf(b.phase)),
        };
      })();
    },

    searchHistory(search) {
      const { page, count } = historyStatements(search);
      const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
      return db.transaction((): HistoryPage => ({
        items: all<HistoryRow>(page).map(toHistoryTaskRun),
        total: all<{ total: number }>(count)[0]!.total,
        page: search.page ?? 0,
        pageSize,
      }))();
    },

    dataVersion: () => db.pragma('data_version', { simple: true }) as number,

    queryPlans(search) {
      const statements: Record<string, Statement> = { ...summaryStatements(search), ...prefixed('history', historyStatements(search)) };
      return Object.fromEntries(
        Object.entries(statements).map(([name, statement]) => [
          name,
          db
            .prepare<Record<string, unknown>, { detail: string }>(`EXPLAIN QUERY PLAN ${statement.sql}`)
            .all(statement.params)
            .map((row) => row.detail),
        ]),
      );
    },

    dispose() {
      if (db.open) db.close();
    },
  };
}

function prefixed(prefix: string, statements: Record<string, Statement>): Record<string, Statement> {
  return Object.fromEntries(Object.entries(statements).map(([name, statement]) => [`${prefix}.${name}`, statement]));
}

/**
 * The sessions filter as SQL over `s` (sessions). Only the conditions asked for are written, so SQLite can
 * pick `sessions_by_project` or `sessions_by_start` for them; `@projectId IS NULL OR ...` would defeat both.
 */
function scopeWhere(scope: MetricsScope): Statement {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.projectId !== undefined) {
    conditions.push('s.project_id = @projectId');
    params.projectId = scope.projectId;
  }
  if (scope.from !== undefined) {
    conditions.push('s.started_at >= @from');
    params.from = scope.from;
  }
  if (scope.to !== undefined) {
    conditions.push('s.started_at < @to');
    params.to = scope.to;
  }
  return { sql: conditions.length === 0 ? '1' : conditions.join(' AND '), params };
}

type SummaryStatement = 'nights' | 'attemptsPerTask' | 'failuresByType' | 'refusalsByRail' | 'repeatedFingerprints' | 'tokens' | 'phaseWall' | 'phaseModel' | 'phaseCommands';

function summaryStatements(scope: MetricsScope): Record<SummaryStatement, Statement> {
  const where = scopeWhere(scope);
  // CROSS JOIN fixes the join order: from the (few) sessions in scope down through covering indexes. Left to
  // itself, SQLite drives a whole-history summary from the big table and looks each row's session up.
  const runs = 'sessions s CROSS JOIN task_runs t ON t.session_id = s.id';
  const statement = (sql: string): Statement => ({ sql, params: where.params });
  return {
    nights: statement(`
      SELECT s.id AS sessionId, p.path AS projectPath, s.started_at AS startedAt,
        COUNT(t.id) AS tasks,
        TOTAL(t.status = 'done') AS committed,
        TOTAL(t.status IN ('failed', 'deadlocked', 'escalated')) AS refused,
        TOTAL(t.status = 'skipped') AS skipped,
        TOTAL(t.status = 'done' AND t.attempts = 1) AS committedFirstAttempt,
        TOTAL(CASE WHEN t.status IN ${FINISHED} THEN t.attempts ELSE 0 END) AS attempts,
        TOTAL(t.status = 'deadlocked') AS deadlocked,
        TOTAL(t.status = 'escalated') AS escalated
      FROM sessions s
      JOIN projects p ON p.id = s.project_id
      LEFT JOIN task_runs t ON t.session_id = s.id
      WHERE ${where.sql}
      GROUP BY s.started_at, s.id
      ORDER BY s.started_at, s.id`),
    attemptsPerTask: statement(`
      SELECT t.attempts AS attempts, COUNT(*) AS tasks
      FROM ${runs}
      WHERE ${where.sql} AND t.status IN ${FINISHED}
      GROUP BY t.attempts
      ORDER BY t.attempts`),
    failuresByType: statement(`
      SELECT f.type AS type, COUNT(*) AS count
      FROM ${runs} CROSS JOIN failures f ON f.task_run_id = t.id
      WHERE ${where.sql}
      GROUP BY f.type
      ORDER BY count DESC, f.type`),
    refusalsByRail: statement(`
      SELECT g.name AS rail, COUNT(*) AS count
      FROM ${runs} CROSS JOIN attempts a ON a.task_run_id = t.id CROSS JOIN gate_results g ON g.attempt_id = a.id
      WHERE ${where.sql} AND ${REFUSED_BY_RAIL}
      GROUP BY g.name
      ORDER BY count DESC, g.name`),
    // The bare f.type and f.message come from the row with MAX(f.at): the fingerprint's latest failure.
    repeatedFingerprints: statement(`
      SELECT f.fingerprint AS fingerprint, f.type AS type, substr(f.message, 1, 300) AS message, MAX(f.at) AS lastAt,
        COUNT(DISTINCT f.task_run_id) AS tasks, COUNT(*) AS occurrences
      FROM ${runs} CROSS JOIN failures f ON f.task_run_id = t.id
      WHERE ${where.sql}
      GROUP BY f.fingerprint
      HAVING tasks > 1
      ORDER BY tasks DESC, occurrences DESC, f.fingerprint
      LIMIT ${REPEATED_FINGERPRINTS_SHOWN}`),
    // A failed call's time counts in durationMs but not in the generation time tokens/s is measured over.
    tokens: statement(`
      SELECT m.role AS role, m.model AS model, COUNT(*) AS calls,
        TOTAL(m.prompt_tokens) AS promptTokens, TOTAL(m.output_tokens) AS outputTokens, TOTAL(m.duration_ms) AS durationMs,
        TOTAL(CASE WHEN m.error IS NULL THEN m.duration_ms ELSE 0 END) AS generatingMs
      FROM ${runs} CROSS JOIN model_calls m ON m.task_run_id = t.id
      WHERE ${where.sql}
      GROUP BY m.role, m.model
      ORDER BY m.role, m.model`),
    phaseWall: statement(`
      SELECT ph.phase AS phase, COUNT(*) AS runs, TOTAL(ph.ended_at - ph.started_at) AS wallMs
      FROM ${runs} CROSS JOIN attempts a ON a.task_run_id = t.id CROSS JOIN phase_results ph ON ph.attempt_id = a.id
      WHERE ${where.sql}
      GROUP BY ph.phase`),
    // A model call belongs to the phase of its attempt that was running when it started: one index seek per
    // call, where joining every call to every phase of its attempt cost twice as much at 10,000 task runs.
    phaseModel: statement(`
      SELECT (SELECT ph.phase FROM phase_results ph
              WHERE ph.attempt_id = m.attempt_id AND ph.started_at <= m.at AND ph.ended_at > m.at
              ORDER BY ph.started_at DESC LIMIT 1) AS phase,
        TOTAL(m.duration_ms) AS modelMs
      FROM ${runs} CROSS JOIN model_calls m ON m.task_run_id = t.id
      WHERE ${where.sql}
      GROUP BY 1`),
    // Commands are recorded with their phase; the session's own (preflight, baseline) have none.
    phaseCommands: statement(`
      SELECT c.phase AS phase, TOTAL(c.duration_ms) AS commandMs
      FROM sessions s CROSS JOIN commands c ON c.session_id = s.id
      WHERE ${where.sql} AND c.phase IS NOT NULL
      GROUP BY c.phase`),
  };
}

interface HistoryRow {
  taskRunId: number;
  sessionId: string;
  projectPath: string;
  sessionStartedAt: number;
  taskId: string;
  title: string;
  status: TaskStatus;
  attempts: number;
  decision: HistoryTaskRun['decision'];
  refusedBy: string | null;
  failureTypes: string | null;
  commitSha: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

const toHistoryTaskRun = ({ refusedBy, failureTypes, commitSha, ...row }: HistoryRow): HistoryTaskRun => ({
  ...row,
  refusedBy: refusedBy === null ? [] : refusedBy.split(',').sort(),
  failureTypes: failureTypes === null ? [] : failureTypes.split(',').sort(),
  commit: commitSha,
});

function historyStatements(search: HistorySearch): { page: Statement; count: Statement } {
  const where = scopeWhere(search);
  const conditions = [where.sql];
  const params: Record<string, unknown> = { ...where.params };
  if (search.sessionId !== undefined) {
    conditions.push('s.id = @sessionId');
    params.sessionId = search.sessionId;
  }
  if (search.status !== undefined) {
    conditions.push('t.status = @status');
    params.status = search.status;
  }
  const text = search.query?.trim() ?? '';
  if (text !== '') {
    conditions.push(`(t.task_id LIKE @like ESCAPE '\\' OR json_extract(t.spec, '$.title') LIKE @like ESCAPE '\\')`);
    params.like = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  }
  if (search.rail !== undefined) {
    conditions.push(`EXISTS (SELECT 1 FROM attempts a JOIN gate_results g ON g.attempt_id = a.id
                             WHERE a.task_run_id = t.id AND g.name = @rail AND ${REFUSED_BY_RAIL})`);
    params.rail = search.rail;
  }
  if (search.failureType !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM failures f WHERE f.task_run_id = t.id AND f.type = @failureType)');
    params.failureType = search.failureType;
  }
  if (search.decision !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM attempts a WHERE a.task_run_id = t.id AND a.decision = @decision)');
    params.decision = search.decision;
  }
  const from = `sessions s CROSS JOIN task_runs t ON t.session_id = s.id JOIN projects p ON p.id = s.project_id
      WHERE ${conditions.join(' AND ')}`;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  return {
    // The per-row subqueries run only for the page's rows: the ORDER BY comes from the indexes, so SQLite
    // stops after LIMIT + OFFSET rows instead of sorting every match.
    page: {
      sql: `
      SELECT t.id AS taskRunId, s.id AS sessionId, p.path AS projectPath, s.started_at AS sessionStartedAt,
        t.task_id AS taskId, json_extract(t.spec, '$.title') AS title, t.status AS status, t.attempts AS attempts,
        t.commit_sha AS commitSha, t.started_at AS startedAt, t.ended_at AS endedAt,
        (SELECT a.decision FROM attempts a WHERE a.task_run_id = t.id AND a.decision IS NOT NULL
         ORDER BY a.number DESC LIMIT 1) AS decision,
        (SELECT group_concat(DISTINCT g.name) FROM attempts a JOIN gate_results g ON g.attempt_id = a.id
         WHERE a.task_run_id = t.id AND ${REFUSED_BY_RAIL}) AS refusedBy,
        (SELECT group_concat(DISTINCT f.type) FROM failures f WHERE f.task_run_id = t.id) AS failureTypes
      FROM ${from}
      ORDER BY s.started_at DESC, s.id DESC, t.ordinal
      LIMIT @limit OFFSET @offset`,
      params: { ...params, limit: pageSize, offset: (search.page ?? 0) * pageSize },
    },
    count: { sql: `SELECT COUNT(*) AS total FROM ${from}`, params },
  };
}
