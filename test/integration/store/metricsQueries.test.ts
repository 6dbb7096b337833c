import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/engine/ports/Store.js';
import { createMetricsQueries, type MetricsQueries } from '../../../src/engine/store/createMetricsQueries.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { TaskStatus } from '../../../src/shared/taskStatus.js';
import { DAY, knownNights, NIGHT_1 } from '../../utils/knownNights.js';
import { seedMetricsHistory, type SeededSession, type SeededTask } from '../../utils/seedMetricsHistory.js';

let dir: string;
let store: Store;
let queries: MetricsQueries;
let calcId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nightshift-metrics-'));
  store = createSqliteStore({ path: join(dir, 'nightshift.db') });
  seedMetricsHistory({ store, sessions: knownNights });
  calcId = store.getProjectByPath('/repos/calc')!.id;
  queries = createMetricsQueries({ path: join(dir, 'nightshift.db') });
});

afterAll(() => {
  queries?.dispose();
  store?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics summary over real SQLite', () => {
  it('counts each night: committed, refused, skipped, first-attempt commits, attempts, DEADLOCK and ESCALATE', () => {
    const { nights } = queries.summary({});
    expect(nights).toEqual([
      { sessionId: 'night1', projectPath: '/repos/calc', startedAt: NIGHT_1, tasks: 4, committed: 2, refused: 1, skipped: 1, committedFirstAttempt: 1, attempts: 6, deadlocked: 1, escalated: 0 },
      { sessionId: 'night2', projectPath: '/repos/calc', startedAt: NIGHT_1 + DAY, tasks: 2, committed: 1, refused: 1, skipped: 0, committedFirstAttempt: 1, attempts: 3, deadlocked: 0, escalated: 1 },
      { sessionId: 'night3', projectPath: '/repos/shop', startedAt: NIGHT_1 + 2 * DAY, tasks: 2, committed: 1, refused: 1, skipped: 0, committedFirstAttempt: 1, attempts: 2, deadlocked: 0, escalated: 0 },
    ]);
  });

  it('counts attempts per finished task, failures by type, refusals by rail and fingerprints repeated across tasks', () => {
    const summary = queries.summary({});
    expect(summary.attemptsPerTask).toEqual([
      { attempts: 1, tasks: 4 },
      { attempts: 2, tasks: 2 },
      { attempts: 3, tasks: 1 },
    ]);
    expect(summary.failuresByType).toEqual([
      { type: 'patch', count: 4 },
      { type: 'review', count: 1 },
      { type: 'scope', count: 1 },
      { type: 'timeout', count: 1 },
    ]);
    expect(summary.refusalsByRail).toEqual([
      { rail: 'suite', count: 5 },
      { rail: 'scope', count: 1 },
    ]);
    expect(summary.repeatedFingerprints).toEqual([
      { fingerprint: 'fp-a', type: 'patch', message: 'patch failure fp-a', lastAt: expect.any(Number), tasks: 2, occurrences: 4 },
    ]);
  });

  it('sums tokens per role and model with tokens/s, and splits each phase into model, commands and harness', () => {
    const summary = queries.summary({});
    // 11 attempts, each with the seeded script's calls.
    expect(summary.tokens).toEqual([
      { role: 'brain', model: 'qwen3:32b', calls: 11, promptTokens: 11_000, outputTokens: 2200, durationMs: 44_000, tokensPerSecond: 50 },
      { role: 'coder', model: 'qwen2.5-coder:14b', calls: 22, promptTokens: 18_700, outputTokens: 8800, durationMs: 88_000, tokensPerSecond: 100 },
      { role: 'qa', model: 'llama3.1:8b', calls: 11, promptTokens: 6600, outputTokens: 1100, durationMs: 22_000, tokensPerSecond: 50 },
    ]);
    expect(summary.phases).toEqual([
      { phase: 'plan', runs: 11, wallMs: 110_000, modelMs: 44_000, commandMs: 0, harnessMs: 66_000 },
      { phase: 'red', runs: 11, wallMs: 110_000, modelMs: 33_000, commandMs: 0, harnessMs: 77_000 },
      { phase: 'green', runs: 11, wallMs: 110_000, modelMs: 55_000, commandMs: 0, harnessMs: 55_000 },
      { phase: 'gates', runs: 11, wallMs: 110_000, modelMs: 0, commandMs: 66_000, harnessMs: 44_000 },
      { phase: 'review', runs: 11, wallMs: 110_000, modelMs: 22_000, commandMs: 0, harnessMs: 88_000 },
    ]);
  });

  it('narrows to one project and to a date range', () => {
    expect(queries.summary({ projectId: calcId }).nights.map((night) => night.sessionId)).toEqual(['night1', 'night2']);
    expect(queries.summary({ from: NIGHT_1 + DAY }).nights.map((night) => night.sessionId)).toEqual(['night2', 'night3']);
    const secondNight = queries.summary({ projectId: calcId, from: NIGHT_1 + DAY, to: NIGHT_1 + 2 * DAY });
    expect(secondNight.nights.map((night) => night.sessionId)).toEqual(['night2']);
    expect(secondNight.failuresByType).toEqual([
      { type: 'review', count: 1 },
      { type: 'scope', count: 1 },
    ]);
    expect(secondNight.repeatedFingerprints).toEqual([]);
  });
});

describe('history search over real SQLite', () => {
  const ids = (search: Parameters<MetricsQueries['searchHistory']>[0]) => queries.searchHistory(search).items.map((item) => `${item.sessionId}/${item.taskId}`);

  it('lists every task run, newest night first and in the night’s order, with decision, refusing rails and failure types', () => {
    const page = queries.searchHistory({});
    expect(page.total).toBe(8);
    expect(page.items.map((item) => `${item.sessionId}/${item.taskId}`)).toEqual([
      'night3/S1', 'night3/S2', 'night2/T1', 'night2/T5', 'night1/T1', 'night1/T2', 'night1/T3', 'night1/T4',
    ]);
    const deadlocked = page.items.find((item) => item.taskId === 'T3')!;
    expect(deadlocked).toMatchObject({
      projectPath: '/repos/calc',
      sessionStartedAt: NIGHT_1,
      title: 'Parse roman numerals',
      status: 'deadlocked',
      attempts: 3,
      decision: 'DEADLOCK',
      refusedBy: ['suite'],
      failureTypes: ['patch'],
      commit: null,
    });
    expect(page.items.find((item) => item.sessionId === 'night2' && item.taskId === 'T5')).toMatchObject({ decision: 'ESCALATE', refusedBy: ['scope'], failureTypes: ['review', 'scope'] });
    expect(page.items.find((item) => item.taskId === 'S2')!.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(page.items.find((item) => item.taskId === 'T4')).toMatchObject({ decision: null, refusedBy: [], failureTypes: [] });
  });

  it('searches title and task id, with LIKE wildcards taken literally', () => {
    expect(ids({ query: 'divide' })).toEqual(['night2/T1', 'night1/T1']);
    expect(ids({ query: 't5' })).toEqual(['night2/T5']);
    expect(ids({ query: '100%' })).toEqual(['night3/S2']);
    expect(ids({ query: 'discount_c' })).toEqual(['night3/S2']);
    expect(ids({ query: '_' })).toEqual(['night3/S2']);
  });

  it('filters by rail, failure type, decision, status, session, project and date', () => {
    expect(ids({ rail: 'suite' })).toEqual(['night3/S1', 'night1/T2', 'night1/T3']);
    expect(ids({ failureType: 'scope' })).toEqual(['night2/T5']);
    expect(ids({ decision: 'DEADLOCK' })).toEqual(['night1/T3']);
    expect(ids({ decision: 'RETRY', projectId: calcId })).toEqual(['night2/T5', 'night1/T2', 'night1/T3']);
    expect(ids({ status: 'skipped' })).toEqual(['night1/T4']);
    expect(ids({ sessionId: 'night2' })).toEqual(['night2/T1', 'night2/T5']);
    expect(ids({ to: NIGHT_1 + DAY })).toHaveLength(4);
    expect(queries.searchHistory({ rail: 'suite', query: 'roman' }).total).toBe(1);
  });

  it('pages with the total of every page', () => {
    expect(queries.searchHistory({ pageSize: 3 })).toMatchObject({ total: 8, page: 0, pageSize: 3 });
    expect(ids({ pageSize: 3, page: 1 })).toEqual(['night2/T5', 'night1/T1', 'night1/T2']);
    const last = queries.searchHistory({ pageSize: 3, page: 2 });
    expect(last.items.map((item) => item.taskId)).toEqual(['T3', 'T4']);
    expect(last.total).toBe(8);
    expect(ids({ pageSize: 3, page: 3 })).toEqual([]);
  });
});

/** The tables that grow with task runs; a plan may scan `sessions` (one row a night) but never these. */
const BIG_TABLES = ['task_runs', 't', 'attempts', 'a', 'gate_results', 'g', 'failures', 'f', 'model_calls', 'm', 'phase_results', 'ph', 'commands', 'c'];

function scansOfBigTables(plans: Record<string, string[]>): string[] {
  return Object.entries(plans).flatMap(([name, lines]) =>
    lines.filter((line) => BIG_TABLES.some((table) => new RegExp(`^SCAN ${table}\\b`).test(line))).map((line) => `${name}: ${line}`),
  );
}

describe('query plans', () => {
  it('reach every per-task table through an index, for every filter', () => {
    const searches: Array<Parameters<MetricsQueries['queryPlans']>[0]> = [
      {},
      { projectId: calcId },
      { from: NIGHT_1, to: NIGHT_1 + DAY },
      { query: 'divide', rail: 'suite', failureType: 'patch', decision: 'RETRY', status: 'done', sessionId: 'night1' },
    ];
    for (const search of searches) {
      const plans = queries.queryPlans(search);
      expect(Object.keys(plans)).toHaveLength(11);
      expect(scansOfBigTables(plans), JSON.stringify(search)).toEqual([]);
    }
  });

  it('find sessions by their index when a project or a date range is given', () => {
    const byProject = queries.queryPlans({ projectId: calcId });
    for (const [name, lines] of Object.entries(byProject)) {
      expect(lines.some((line) => /SEARCH s USING (COVERING )?INDEX sessions_by_project/.test(line)), `${name}: ${lines.join(' | ')}`).toBe(true);
    }
    const byDate = queries.queryPlans({ from: NIGHT_1 });
    for (const [name, lines] of Object.entries(byDate)) {
      expect(lines.some((line) => /SEARCH s USING (COVERING )?INDEX sessions_by_start/.test(line)), `${name}: ${lines.join(' | ')}`).toBe(true);
    }
  });

  it('pages the history from the indexes without sorting every match', () => {
    const plans = queries.queryPlans({});
    // Sorting one night's task runs ("LAST TERM OF ORDER BY") is allowed; sorting every match is not.
    expect(plans['history.page'], plans['history.page']!.join(' | ')).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    expect(plans['history.page']![0]).toBe('SCAN s USING INDEX sessions_by_start');
  });
});

describe('at 10,000 task runs', () => {
  let bigDir: string;
  let bigStore: Store;
  let big: MetricsQueries;

  beforeAll(() => {
    bigDir = mkdtempSync(join(tmpdir(), 'nightshift-metrics-big-'));
    bigStore = createSqliteStore({ path: join(bigDir, 'nightshift.db') });
    const statuses: TaskStatus[] = ['done', 'done', 'done', 'escalated', 'deadlocked', 'skipped', 'failed'];
    const sessions: SeededSession[] = Array.from({ length: 100 }, (_, night) => ({
      id: `big${String(night).padStart(3, '0')}`,
      projectPath: night % 2 === 0 ? '/repos/calc' : '/repos/shop',
      startedAt: NIGHT_1 + night * DAY,
      tasks: Array.from({ length: 100 }, (_, index): SeededTask => {
        const status = statuses[(night + index) % statuses.length]!;
        const retries = status === 'skipped' ? 0 : index % 3;
        const last = status === 'done' ? 'COMMIT' : status === 'deadlocked' ? 'DEADLOCK' : status === 'escalated' ? 'ESCALATE' : 'RETRY';
        return {
          taskId: `T${index + 1}`,
          title: `Task number ${index + 1} of night ${night}`,
          status,
          attempts: status === 'skipped' ? [] : [
            ...Array.from({ length: retries }, () => ({ decision: 'RETRY' as const, failure: { type: 'patch' as const, fingerprint: `fp-${index % 40}` }, refusedBy: ['suite' as const] })),
            last === 'COMMIT' ? { decision: last } : { decision: last, failure: { type: 'review' as const, fingerprint: `fp-r${night}` }, refusedBy: ['bite' as const] },
          ],
        };
      }),
    }));
    seedMetricsHistory({ store: bigStore, sessions });
    big = createMetricsQueries({ path: join(bigDir, 'nightshift.db') });
  }, 300_000);

  afterAll(() => {
    big?.dispose();
    bigStore?.dispose();
    rmSync(bigDir, { recursive: true, force: true });
  });

  it('answers the summary and a history page quickly, and prints the times', () => {
    // CPU time of this process as well as wall time: SQLite runs on this thread, so on a machine shared
    // with other work the CPU figure is the query's own cost and the wall figure includes waiting for a core.
    const time = (run: () => unknown): { wallMs: number; cpuMs: number } => {
      run();
      const runs = Array.from({ length: 5 }, () => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        run();
        const used = process.cpuUsage(cpu);
        return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
      });
      const median = (values: number[]) => values.sort((a, b) => a - b)[2]!;
      return { wallMs: median(runs.map((each) => each.wallMs)), cpuMs: median(runs.map((each) => each.cpuMs)) };
    };
    const figures = {
      'summary, every project': time(() => big.summary({})),
      'summary, one project': time(() => big.summary({ projectId: 1 })),
      'summary, 30 nights': time(() => big.summary({ from: NIGHT_1, to: NIGHT_1 + 30 * DAY })),
      'history, first page': time(() => big.searchHistory({})),
      'history, page 100': time(() => big.searchHistory({ page: 100 })),
      'history, text search': time(() => big.searchHistory({ query: 'number 7' })),
      'history, rail + decision': time(() => big.searchHistory({ rail: 'bite', decision: 'ESCALATE' })),
    };
    process.stdout.write(
      `\nMetrics queries at 10,000 task runs (median of 5): wall ms / CPU ms\n${Object.entries(figures)
        .map(([what, { wallMs, cpuMs }]) => `  ${what.padEnd(26)} ${wallMs.toFixed(1).padStart(8)} ${cpuMs.toFixed(1).padStart(8)}`)
        .join('\n')}\n`,
    );
    expect(big.summary({}).nights).toHaveLength(100);
    expect(big.searchHistory({}).total).toBe(10_000);
    // Generous bounds for a loaded 2-core machine; the printed figures are the measurement.
    for (const [what, { cpuMs }] of Object.entries(figures)) expect(cpuMs, what).toBeLessThan(1000);
    expect(scansOfBigTables(big.queryPlans({}))).toEqual([]);
  });
});
