import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { HistoryState } from '../../../src/renderer/state/HistoryState.svelte.js';
import { RecordNotFoundError } from '../../../src/host/RecordNotFoundError.js';
import type { HistoryTaskRun, ProtocolName, ProtocolRequest, ProtocolResponse, TaskExplanationSummary } from '../../../src/shared/protocol.js';
import { createProtocolHandler, type ProtocolHandler } from '../../utils/createProtocolHandler.js';

function apiOver(host: ProtocolHandler, hold?: (name: ProtocolName) => Promise<void>): NightshiftApi {
  return {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      await hold?.(name);
      const result = JSON.parse(JSON.stringify(await host.handle(name, request))) as Parameters<typeof ApiCallError.unwrap>[1];
      return ApiCallError.unwrap(name, result) as ProtocolResponse<K>;
    },
    onEvent: () => () => {},
  };
}

/** 7 task runs, T1..T7, answered a page at a time as the host would. */
const runs: HistoryTaskRun[] = Array.from({ length: 7 }, (_, index) => ({
  taskRunId: index + 1,
  sessionId: 's1',
  projectPath: '/repos/calc',
  sessionStartedAt: 1_780_000_000_000,
  taskId: `T${index + 1}`,
  title: `Task ${index + 1}`,
  status: 'done',
  attempts: 1,
  decision: 'COMMIT',
  refusedBy: [],
  failureTypes: [],
  commit: 'c'.repeat(40),
  startedAt: null,
  endedAt: null,
}));

function explanationOf(taskRunId: number): TaskExplanationSummary {
  return { taskRun: { id: taskRunId, taskId: `T${taskRunId}`, title: `Task ${taskRunId}`, status: 'done', reason: '', attempts: 1, commit: null, sessionId: 's1', description: '' }, text: '', attempts: [] };
}

function pagedHost(): ProtocolHandler {
  return createProtocolHandler({
    handlers: {
      'history/search': ({ page = 0, pageSize = 50 }) => ({ items: runs.slice(page * pageSize, (page + 1) * pageSize), total: runs.length, page, pageSize }),
      'task/explain': ({ taskRunId }) => explanationOf(taskRunId),
      'history/audit': ({ taskRunId }) => {
        if (taskRunId > runs.length) throw new RecordNotFoundError({ kind: 'task run', id: taskRunId });
        return { record: taskRunId === 1 ? null : { taskRunId, decision: 'COMMIT' } };
      },
    },
  });
}

describe('HistoryState', () => {
  it('sends only the filters that are set, and pages within the total', async () => {
    const host = pagedHost();
    const history = new HistoryState({ api: apiOver(host), pageSize: 3 });
    await history.search();
    expect(host.requests.at(-1)!.request).toEqual({ page: 0, pageSize: 3 });
    expect(history.pageCount).toBe(3);
    await history.previousPage();
    expect(history.page).toBe(0);
    await history.nextPage();
    await history.nextPage();
    expect(history.page).toBe(2);
    expect(history.result!.items.map((item) => item.taskId)).toEqual(['T7']);
    const sent = host.requests.length;
    await history.nextPage();
    expect(host.requests).toHaveLength(sent);

    await history.filter({ query: '  divide ', status: 'done', rail: 'suite', failureType: 'patch', decision: 'RETRY', sessionId: 's1', projectPath: '/repos/calc' });
    expect(host.requests.at(-1)!.request).toEqual({
      page: 0, pageSize: 3, query: 'divide', status: 'done', rail: 'suite', failureType: 'patch', decision: 'RETRY', sessionId: 's1', projectPath: '/repos/calc',
    });
    await history.clearFilters();
    expect(host.requests.at(-1)!.request).toEqual({ page: 0, pageSize: 3, projectPath: '/repos/calc' });
    expect(host.rejected).toEqual([]);
  });

  it('opens a task run’s explanation and audit record, keeping only the latest selection', async () => {
    const host = pagedHost();
    const held: Array<() => void> = [];
    let holding = false;
    const history = new HistoryState({ api: apiOver(host, () => (holding ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve())) });
    await history.select(2);
    expect(history.explanation!.taskRun.taskId).toBe('T2');
    expect(history.audit).toEqual({ taskRunId: 2, decision: 'COMMIT' });
    expect(history.loadingSelection).toBe(false);

    holding = true;
    const first = history.select(3);
    const second = history.select(1);
    expect(history.selectedTaskRunId).toBe(1);
    for (const release of held.splice(2)) release();
    await second;
    for (const release of held) release();
    await first;
    expect(history.explanation!.taskRun.taskId).toBe('T1');
    expect(history.audit).toBeNull();
  });

  it('shows a refusal from the host', async () => {
    const history = new HistoryState({ api: apiOver(pagedHost()) });
    await history.select(99);
    expect(history.error?.code).toBe('NOT_FOUND');
    expect(history.explanation).toBeNull();
    history.dismissError();
    expect(history.error).toBeNull();
  });
});
