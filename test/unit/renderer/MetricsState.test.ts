import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { MetricsState } from '../../../src/renderer/state/MetricsState.svelte.js';
import type { MetricsSummary, ProtocolName, ProtocolRequest, ProtocolResponse } from '../../../src/shared/protocol.js';
import { createProtocolHandler, type ProtocolHandler, type ProtocolHandlers } from '../../utils/createProtocolHandler.js';
import { ProjectNotOpenError } from '../../../src/host/ProjectNotOpenError.js';

/** The renderer's api over an in-test host, through the same JSON round trip and error rebuilding as the real clients. */
function apiOver(host: ProtocolHandler, hold?: () => Promise<void>): NightshiftApi {
  return {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      await hold?.();
      const result = JSON.parse(JSON.stringify(await host.handle(name, request))) as Parameters<typeof ApiCallError.unwrap>[1];
      return ApiCallError.unwrap(name, result) as ProtocolResponse<K>;
    },
    onEvent: () => () => {},
  };
}

const NIGHT = new Date(2026, 5, 1, 22).getTime();

const summary: MetricsSummary = {
  nights: [
    { sessionId: 'n1', projectPath: '/repos/calc', startedAt: NIGHT, tasks: 4, committed: 2, refused: 1, skipped: 1, committedFirstAttempt: 1, attempts: 6, deadlocked: 1, escalated: 0 },
    { sessionId: 'n2', projectPath: '/repos/calc', startedAt: NIGHT + 86_400_000, tasks: 3, committed: 3, refused: 0, skipped: 0, committedFirstAttempt: 3, attempts: 3, deadlocked: 0, escalated: 0 },
  ],
  attemptsPerTask: [{ attempts: 1, tasks: 4 }, { attempts: 2, tasks: 1 }, { attempts: 3, tasks: 1 }],
  failuresByType: [{ type: 'patch', count: 4 }],
  refusalsByRail: [{ rail: 'suite', count: 3 }],
  repeatedFingerprints: [{ fingerprint: 'fp-a', type: 'patch', tasks: 2, occurrences: 4, message: 'expected 3, got "4", twice' }],
  tokens: [{ role: 'coder', model: 'qwen2.5-coder:14b', calls: 12, promptTokens: 10_200, outputTokens: 4800, durationMs: 48_000, tokensPerSecond: 100 }],
  phases: [{ phase: 'gates', runs: 6, wallMs: 60_000, modelMs: 0, commandMs: 36_000, harnessMs: 24_000 }],
};

function hostAnswering(handlers: ProtocolHandlers): ProtocolHandler {
  return createProtocolHandler({ handlers });
}

describe('MetricsState', () => {
  it('loads the summary for every project and draws each chart’s series and table from it', async () => {
    const host = hostAnswering({ 'metrics/summary': () => summary });
    const metrics = new MetricsState({ api: apiOver(host) });
    await metrics.load();
    expect(host.requests).toEqual([{ name: 'metrics/summary', request: {} }]);
    expect(metrics.loading).toBe(false);
    expect(metrics.charts.map((chart) => chart.id)).toEqual([
      'committed-vs-refused', 'first-attempt-rate', 'attempts-per-task', 'deadlock-escalate', 'failures-by-type',
      'refusals-by-rail', 'tokens', 'tokens-per-second', 'phase-time', 'repeated-fingerprints',
    ]);
    const byId = Object.fromEntries(metrics.charts.map((chart) => [chart.id, chart]));
    expect(byId['committed-vs-refused']!.labels).toEqual(['2026-06-01', '2026-06-02']);
    expect(byId['committed-vs-refused']!.series.map((series) => series.values)).toEqual([[2, 3], [1, 0], [1, 0]]);
    expect(byId['first-attempt-rate']!.rows).toEqual([
      ['2026-06-01', 'n1', '/repos/calc', 1, 3, 33.3],
      ['2026-06-02', 'n2', '/repos/calc', 3, 3, 100],
    ]);
    expect(byId['phase-time']!.rows).toEqual([['gates', 6, 60, 0, 36, 24]]);
    expect(byId['tokens']!.rows).toEqual([['coder', 'qwen2.5-coder:14b', 12, 10_200, 4800, 48, 100]]);
    expect(byId['repeated-fingerprints']!.kind).toBe('table');
    expect(metrics.totals).toEqual({ nights: 2, committed: 5, refused: 1, firstAttemptRate: 66.7, attemptsPerTask: 1.5 });
  });

  it('keeps the summary it shows when the host answers the same again, so the charts are not redrawn', async () => {
    let committed = 2;
    const host = hostAnswering({ 'metrics/summary': () => ({ ...summary, nights: [{ ...summary.nights[0]!, committed }] }) });
    const metrics = new MetricsState({ api: apiOver(host) });
    await metrics.load();
    const shown = metrics.summary;
    await metrics.load();
    expect(metrics.summary).toBe(shown);
    committed = 3;
    await metrics.load();
    expect(metrics.summary!.nights[0]!.committed).toBe(3);
  });

  it('narrows to a project and to whole local days', async () => {
    const host = hostAnswering({ 'metrics/summary': () => summary });
    const metrics = new MetricsState({ api: apiOver(host) });
    await metrics.showProject('/repos/calc');
    await metrics.showDays({ fromDay: '2026-06-01', toDay: '2026-06-02' });
    expect(host.requests.at(-1)).toEqual({
      name: 'metrics/summary',
      request: { projectPath: '/repos/calc', from: new Date(2026, 5, 1).getTime(), to: new Date(2026, 5, 3).getTime() },
    });
    await metrics.showProject(null);
    await metrics.showDays({ fromDay: '', toDay: '' });
    expect(host.requests.at(-1)!.request).toEqual({});
  });

  it('keeps the newest scope’s answer when an older one arrives later', async () => {
    const answers: Array<() => void> = [];
    const host = hostAnswering({ 'metrics/summary': (request) => ({ ...summary, nights: request.projectPath ? [summary.nights[0]!] : summary.nights }) });
    const metrics = new MetricsState({ api: apiOver(host, () => new Promise<void>((resolve) => answers.push(resolve))) });
    const older = metrics.showProject('/repos/calc');
    const newer = metrics.showProject(null);
    answers[1]!();
    await newer;
    answers[0]!();
    await older;
    expect(metrics.summary!.nights).toHaveLength(2);
    expect(metrics.loading).toBe(false);
  });

  it('shows the host’s refusal and keeps the last summary', async () => {
    let refuse = false;
    const host = hostAnswering({
      'metrics/summary': (request) => {
        if (refuse) throw new ProjectNotOpenError({ path: request.projectPath ?? '' });
        return summary;
      },
    });
    const metrics = new MetricsState({ api: apiOver(host) });
    await metrics.load();
    refuse = true;
    await metrics.showProject('/elsewhere');
    expect(metrics.error?.code).toBe('PROJECT_NOT_OPEN');
    expect(metrics.summary).toEqual(summary);
    metrics.dismissError();
    expect(metrics.error).toBeNull();
  });
});
