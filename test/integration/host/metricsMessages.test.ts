import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import { createSqliteStore } from '../../../src/engine/store/createSqliteStore.js';
import type { HistoryPage, MetricsSummary } from '../../../src/shared/protocol.js';
import { DAY, knownNights, NIGHT_1 } from '../../utils/knownNights.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { seedMetricsHistory } from '../../utils/seedMetricsHistory.js';

/** A host over a data directory holding the known nights. */
async function seededHost(): Promise<{ host: MainHost; taskRunIds: Map<string, number>; dataDir: string }> {
  const dataDir = makeTempDir('nightshift-metrics-host-');
  const store = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
  const { taskRunIds } = seedMetricsHistory({ store, sessions: knownNights });
  store.dispose();
  const host = createMainHost({ dataDir });
  onTestFinished(() => host.dispose());
  return { host, taskRunIds, dataDir };
}

async function value<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}

describe('metrics and history messages', () => {
  it('metrics/summary answers over every project, one opened project, and a date range', async () => {
    const { host } = await seededHost();
    const all = await value<MetricsSummary>(host.handle('metrics/summary', {}));
    expect(all.nights.map((night) => [night.sessionId, night.committed, night.refused])).toEqual([
      ['night1', 2, 1],
      ['night2', 1, 1],
      ['night3', 1, 1],
    ]);
    expect(all.refusalsByRail[0]).toEqual({ rail: 'suite', count: 5 });
    const shop = await value<MetricsSummary>(host.handle('metrics/summary', { projectPath: '/repos/shop' }));
    expect(shop.nights.map((night) => night.sessionId)).toEqual(['night3']);
    expect(shop.failuresByType).toEqual([{ type: 'timeout', count: 1 }]);
    const ranged = await value<MetricsSummary>(host.handle('metrics/summary', { from: NIGHT_1 + DAY, to: NIGHT_1 + 2 * DAY }));
    expect(ranged.nights.map((night) => night.sessionId)).toEqual(['night2']);
  });

  it('metrics/summary answers anew once a session has written to the database', async () => {
    const { host, dataDir } = await seededHost();
    const before = await value<MetricsSummary>(host.handle('metrics/summary', {}));
    expect(await value<MetricsSummary>(host.handle('metrics/summary', {}))).toEqual(before);
    // Another connection, as the engine process is.
    const engineStore = createSqliteStore({ path: join(dataDir, 'nightshift.db') });
    seedMetricsHistory({
      store: engineStore,
      sessions: [{ id: 'night9', projectPath: '/repos/calc', startedAt: NIGHT_1 + 9 * DAY, tasks: [{ taskId: 'T9', status: 'done', attempts: [{ decision: 'COMMIT' }] }] }],
    });
    engineStore.dispose();
    const after = await value<MetricsSummary>(host.handle('metrics/summary', {}));
    expect(after.nights.map((night) => night.sessionId)).toEqual(['night1', 'night2', 'night3', 'night9']);
    expect(after.attemptsPerTask[0]).toEqual({ attempts: 1, tasks: before.attemptsPerTask[0]!.tasks + 1 });
  });

  it('metrics/summary refuses a project the host never opened, and a bad range by field', async () => {
    const { host } = await seededHost();
    const unknown = await host.handle('metrics/summary', { projectPath: '/repos/elsewhere' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'PROJECT_NOT_OPEN' } });
    const negative = await host.handle('metrics/summary', { from: -1 });
    expect(negative).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', context: { field: 'from' } } });
  });

  it('history/search pages, searches and filters across projects', async () => {
    const { host } = await seededHost();
    const first = await value<HistoryPage>(host.handle('history/search', { pageSize: 5 }));
    expect(first.total).toBe(8);
    expect(first.items.map((item) => item.taskId)).toEqual(['S1', 'S2', 'T1', 'T5', 'T1']);
    const second = await value<HistoryPage>(host.handle('history/search', { pageSize: 5, page: 1 }));
    expect(second.items.map((item) => item.taskId)).toEqual(['T2', 'T3', 'T4']);
    const found = await value<HistoryPage>(host.handle('history/search', { query: 'roman', rail: 'suite', decision: 'DEADLOCK', failureType: 'patch', projectPath: '/repos/calc' }));
    expect(found.items.map((item) => [item.sessionId, item.taskId, item.decision])).toEqual([['night1', 'T3', 'DEADLOCK']]);
    const refused = await host.handle('history/search', { rail: 'no-such-rail' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', context: { field: 'rail' } } });
  });

  it('a task run found in History opens its explanation, attempts, diffs and audit record', async () => {
    const { host, taskRunIds } = await seededHost();
    const [item] = (await value<HistoryPage>(host.handle('history/search', { query: 'T3' }))).items;
    expect(item!.taskRunId).toBe(taskRunIds.get('night1/T3'));
    const explanation = await value(host.handle('task/explain', { taskRunId: item!.taskRunId }));
    expect(explanation.attempts.map((attempt) => attempt.decision)).toEqual(['RETRY', 'RETRY', 'DEADLOCK']);
    expect(explanation.attempts[2]!.diff).toContain('+new 3');
    const audit = await value(host.handle('history/audit', { taskRunId: item!.taskRunId }));
    expect(audit.record).toMatchObject({ taskRunId: item!.taskRunId, taskId: 'T3', status: 'deadlocked', decision: 'DEADLOCK', attempts: 3 });
    const missing = await host.handle('history/audit', { taskRunId: 99_999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
