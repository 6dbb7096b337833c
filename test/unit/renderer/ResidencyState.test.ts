import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { ResidencyState } from '../../../src/renderer/state/ResidencyState.svelte.js';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { ModelTryResult, ProtocolName, ProtocolRequest, ProtocolResponse, ProtocolResult, ResidencyReport, ResidentModelSummary } from '../../../src/shared/protocol.js';
import { createProtocolHandler } from '../../utils/createProtocolHandler.js';

const MODEL: ResidentModelSummary = {
  modelId: 'tiny',
  file: '/models/tiny.gguf',
  roles: ['brain', 'coder', 'qa'],
  contextSize: 1536,
  estimatedBytes: 40_000_000,
  measuredBytes: 30_000_000,
  pinned: false,
  busy: false,
  loadedAt: 1_763_676_000_000,
  loadMs: 120,
  pid: 4242,
};

/**
 * An in-test residency host: loads and pins in memory, and a try that pushes its tokens (and a stray token of
 * another try) as events, waiting on `release` before it answers so the test can look mid-stream.
 */
function residencyHost() {
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => listeners.forEach((listener) => listener(event));
  let report: ResidencyReport = { source: { kind: 'gguf', file: MODEL.file }, models: [], counters: { loads: 0, unloads: 0, evictions: 0, failedLoads: 0 }, session: null };
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler = createProtocolHandler({
    handlers: {
      'models/residency': () => report,
      'models/load': () => {
        report = { ...report, models: [MODEL], counters: { ...report.counters, loads: report.counters.loads + 1 } };
        return report;
      },
      'models/pin': ({ modelId, pinned }) => {
        report = { ...report, models: report.models.map((model) => (model.modelId === modelId ? { ...model, pinned } : model)) };
        return report;
      },
      'models/unload': ({ modelId }) => {
        if (report.models.some((model) => model.busy)) throw new NightshiftError({ code: 'MODEL_IN_USE', message: `${modelId} is busy.`, hint: 'Wait.' });
        report = { ...report, models: [], counters: { ...report.counters, unloads: report.counters.unloads + 1 } };
        return report;
      },
      'models/try': async ({ tryId, prompt }) => {
        if (prompt === 'refuse') throw new NightshiftError({ code: 'LOCAL_MODELS_UNAVAILABLE', message: 'No model.', hint: 'Pull one.' });
        emit({ type: 'models/try-token', at: 1, tryId, text: '"Bl' });
        emit({ type: 'models/try-token', at: 2, tryId: 'someone-else', text: 'XX' });
        emit({ type: 'models/try-token', at: 3, tryId, text: 'ue"' });
        await released;
        const result: ModelTryResult = { tryId, modelId: 'tiny', role: 'coder', text: '"Blue"', promptTokens: 9, outputTokens: 3, timeToFirstTokenMs: 12, tokensPerSecond: 80, durationMs: 40 };
        emit({ type: 'models/try-finished', at: 4, ...result });
        return result;
      },
    },
  });
  const api: NightshiftApi = {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      const result = JSON.parse(JSON.stringify(await handler.handle(name, request))) as ProtocolResult<ProtocolResponse<K>>;
      return ApiCallError.unwrap(name, result);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api, handler, release, setBusy: (busy: boolean) => (report = { ...report, models: report.models.map((model) => ({ ...model, busy })) }) };
}

describe('ResidencyState', () => {
  it('reads, loads by role or by file, pins and unloads, keeping the host’s latest report', async () => {
    const { api, handler } = residencyHost();
    const residency = new ResidencyState({ api });
    await residency.refresh();
    expect(residency.report?.models).toEqual([]);

    await residency.load();
    expect(residency.report?.models.map((model) => model.modelId)).toEqual(['tiny']);
    await residency.load({ kind: 'file', file: '/models/other.gguf' });
    await residency.pin('tiny', true);
    expect(residency.report?.models[0]?.pinned).toBe(true);
    await residency.unload('tiny');
    expect(residency.report?.models).toEqual([]);
    expect(residency.report?.counters).toMatchObject({ loads: 2, unloads: 1 });
    expect(residency.busy).toBe(false);
    expect(handler.rejected).toEqual([]);
    expect(handler.requests.map(({ name, request }) => [name, request])).toEqual([
      ['models/residency', {}],
      ['models/load', { role: 'coder' }],
      ['models/load', { ggufFile: '/models/other.gguf' }],
      ['models/pin', { modelId: 'tiny', pinned: true }],
      ['models/unload', { modelId: 'tiny' }],
    ]);
  });

  it('shows a refusal with the host’s hint, reads the report again, and dismisses it', async () => {
    const { api, setBusy } = residencyHost();
    const residency = new ResidencyState({ api });
    await residency.load();
    setBusy(true);
    await residency.unload('tiny');
    expect(residency.error).toMatchObject({ code: 'MODEL_IN_USE', hint: 'Wait.' });
    expect(residency.report?.models[0]?.busy).toBe(true);
    residency.dismissError();
    expect(residency.error).toBeNull();
  });

  it('streams the try’s own tokens while it runs, then shows its figures', async () => {
    const { api, handler, release } = residencyHost();
    const residency = new ResidencyState({ api });
    const stop = residency.attach();
    residency.target = { kind: 'role', role: 'qa' };
    residency.prompt = '  Name a colour.  ';
    const running = residency.runTry();
    await expect.poll(() => residency.output).toBe('"Blue"');
    expect(residency.trying).toBe(true);
    expect(residency.result).toBeNull();
    release();
    await running;
    expect(residency.trying).toBe(false);
    expect(residency.result).toMatchObject({ modelId: 'tiny', outputTokens: 3, tokensPerSecond: 80, timeToFirstTokenMs: 12 });
    expect(residency.output).toBe('"Blue"');
    const sent = handler.requests.find((request) => request.name === 'models/try')?.request;
    expect(sent).toEqual({ role: 'qa', prompt: 'Name a colour.', maxTokens: 256, tryId: expect.stringMatching(/^try-/) });
    // Afterwards the report is read again: the try may have loaded its model.
    expect(handler.requests.at(-1)?.name).toBe('models/residency');
    stop();
  });

  it('shows why a try failed, and runs nothing for an empty prompt', async () => {
    const { api, handler } = residencyHost();
    const residency = new ResidencyState({ api });
    residency.prompt = '   ';
    await residency.runTry();
    expect(handler.requests).toEqual([]);
    residency.prompt = 'refuse';
    residency.target = { kind: 'file', file: '/models/missing.gguf' };
    // An emptied cap field leaves the cap to the host.
    residency.maxTokens = null;
    await residency.runTry();
    expect(residency.tryError).toMatchObject({ code: 'LOCAL_MODELS_UNAVAILABLE', hint: 'Pull one.' });
    expect(residency.trying).toBe(false);
    expect(handler.requests[0]?.request).toEqual({ ggufFile: '/models/missing.gguf', prompt: 'refuse', tryId: expect.stringMatching(/^try-/) });
  });
});
