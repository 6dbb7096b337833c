import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import type { SessionSupervisor } from '../../../src/host/SessionSupervisor.js';
import type { EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { NightshiftErrorData } from '../../../src/shared/NightshiftErrorData.js';
import type { ProtocolResult } from '../../../src/shared/protocol.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../utils/makeTempDir.js';
import { processExists, waitFor } from '../../utils/modelHostTestKit.js';

function ok<T>(result: ProtocolResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refused<T>(result: ProtocolResult<T>): NightshiftErrorData {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value).slice(0, 300)}`);
  return result.error;
}

/** A supervisor that only says whether a session runs. */
function busySupervisor(busy: boolean): SessionSupervisor {
  const unused = () => Promise.reject(new Error('not used here'));
  return { start: unused, pause: unused, resume: unused, stop: unused, states: () => [], busy: () => busy, dispose: () => Promise.resolve() };
}

/** A host whose own model host serves every role with a tiny GGUF, with a second GGUF to load by path. */
function startHost(options: { sessionRunning?: boolean } = {}): { host: MainHost; main: string; other: string; events: EngineEvent[] } {
  const root = realpathSync(makeTempDir('nightshift-residency-'));
  const main = createTinyGguf({ path: join(root, 'tiny-main.gguf'), name: 'tiny-main' }).path;
  const other = createTinyGguf({ path: join(root, 'tiny-other.gguf'), name: 'tiny-other' }).path;
  const host = createMainHost({
    dataDir: join(root, 'data'),
    clock: { now: () => Date.now() },
    residencyModelFile: main,
    ...(options.sessionRunning === undefined ? {} : { createSupervisor: () => busySupervisor(options.sessionRunning!) }),
  });
  onTestFinished(() => host.dispose());
  const events: EngineEvent[] = [];
  host.onEvent((event) => events.push(event));
  return { host, main, other, events };
}

describe('models/residency, load, unload, pin and try over the app host’s own model host', () => {
  it('loads a GGUF with real llama.cpp, shows measured against estimated memory, pins, evicts, unloads and counts', async () => {
    const { host, main, other } = startHost();
    const empty = ok(await host.handle('models/residency', {}));
    expect(empty).toEqual({ source: { kind: 'gguf', file: main }, models: [], counters: { loads: 0, unloads: 0, evictions: 0, failedLoads: 0 }, session: null });

    const loaded = ok(await host.handle('models/load', { role: 'qa' }));
    expect(loaded.models).toHaveLength(1);
    const [model] = loaded.models;
    expect(model).toMatchObject({ modelId: 'tiny-main', file: main, roles: ['brain', 'coder', 'qa'], pinned: false, busy: false });
    expect(model!.contextSize).toBeGreaterThan(0);
    expect(model!.estimatedBytes).toBeGreaterThan(0);
    expect(model!.measuredBytes).toBeGreaterThan(0);
    expect(model!.loadMs).toBeGreaterThanOrEqual(0);
    const mainPid = model!.pid!;
    expect(processExists(mainPid)).toBe(true);
    expect(loaded.counters).toEqual({ loads: 1, unloads: 0, evictions: 0, failedLoads: 0 });

    // Loading what is loaded changes nothing.
    expect(ok(await host.handle('models/load', {})).counters.loads).toBe(1);

    // A pinned model stays beside the next one.
    expect(ok(await host.handle('models/pin', { modelId: 'tiny-main', pinned: true })).models[0]?.pinned).toBe(true);
    const both = ok(await host.handle('models/load', { ggufFile: other }));
    expect(both.models.map((entry) => [entry.modelId, entry.roles, entry.pinned])).toEqual([
      ['tiny-main', ['brain', 'coder', 'qa'], true],
      ['tiny-other', [], false],
    ]);
    expect(both.counters).toEqual({ loads: 2, unloads: 0, evictions: 0, failedLoads: 0 });

    const unloaded = ok(await host.handle('models/unload', { modelId: 'tiny-other' }));
    expect(unloaded.models.map((entry) => entry.modelId)).toEqual(['tiny-main']);
    expect(unloaded.counters).toEqual({ loads: 2, unloads: 1, evictions: 0, failedLoads: 0 });

    // Unpinned, it makes room for the next model, and its process ends.
    ok(await host.handle('models/pin', { modelId: 'tiny-main', pinned: false }));
    const swapped = ok(await host.handle('models/load', { ggufFile: other }));
    expect(swapped.models.map((entry) => entry.modelId)).toEqual(['tiny-other']);
    expect(swapped.counters).toEqual({ loads: 3, unloads: 2, evictions: 1, failedLoads: 0 });
    await waitFor(() => !processExists(mainPid));

    expect(refused(await host.handle('models/unload', { modelId: 'tiny-main' }))).toMatchObject({ code: 'MODEL_NOT_LOADED', context: { loaded: ['tiny-other'] } });
    expect(refused(await host.handle('models/pin', { modelId: 'nothing', pinned: true })).code).toBe('MODEL_NOT_LOADED');
    const missing = refused(await host.handle('models/load', { ggufFile: join(main, '..', 'missing.gguf') }));
    expect(missing.code).toBe('LOCAL_MODELS_UNAVAILABLE');
    expect(ok(await host.handle('models/residency', {})).counters).toEqual({ loads: 3, unloads: 2, evictions: 1, failedLoads: 1 });

    const otherPid = swapped.models[0]!.pid!;
    await host.dispose();
    expect(processExists(otherPid)).toBe(false);
  });

  it('streams a try prompt as events and answers with tokens/s and time to first token', async () => {
    const { host, events } = startHost();
    const answer = ok(await host.handle('models/try', { tryId: 'try-1', role: 'brain', prompt: 'Name a colour.', maxTokens: 40 }));
    expect(answer).toMatchObject({ tryId: 'try-1', modelId: 'tiny-main', role: 'brain' });
    expect(answer.outputTokens).toBeGreaterThan(1);
    expect(answer.promptTokens).toBeGreaterThan(0);
    expect(answer.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(answer.tokensPerSecond).toBeGreaterThan(0);
    expect(answer.durationMs).toBeGreaterThanOrEqual(answer.timeToFirstTokenMs!);

    const tokens = events.filter((event) => event.type === 'models/try-token');
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((event) => event.tryId === 'try-1')).toBe(true);
    expect(tokens.map((event) => event.text).join('')).toBe(answer.text);
    const finished = events.filter((event) => event.type === 'models/try-finished');
    expect(finished).toEqual([expect.objectContaining({ ...answer, type: 'models/try-finished' })]);
    // The last token comes before the figures.
    expect(events.findIndex((event) => event.type === 'models/try-finished')).toBeGreaterThan(events.findLastIndex((event) => event.type === 'models/try-token'));

    // The try loaded the model, which stays for the next one, and is no longer busy.
    const after = ok(await host.handle('models/residency', {}));
    expect(after.models.map((entry) => [entry.modelId, entry.busy])).toEqual([['tiny-main', false]]);
    expect(after.counters.loads).toBe(1);

    // A model process that dies takes its model with it: the report drops it and the crash is published.
    process.kill(after.models[0]!.pid!, 'SIGKILL');
    await waitFor(() => events.some((event) => event.type === 'process/crashed'), 30_000);
    expect(events.find((event) => event.type === 'process/crashed')).toMatchObject({ process: 'model-host', signal: 'SIGKILL', restarting: false });
    expect(ok(await host.handle('models/residency', {})).models).toEqual([]);
  });

  it('says a running session’s models are not the ones shown', async () => {
    const { host } = startHost({ sessionRunning: true });
    expect(ok(await host.handle('models/residency', {})).session).toMatch(/session is running.*engine process/);
    const idle = startHost({ sessionRunning: false });
    expect(ok(await idle.host.handle('models/residency', {})).session).toBeNull();
  });

  it('refuses a project that is not opened before planning or loading anything', async () => {
    const { host } = startHost();
    const outside = makeTempDir('nightshift-residency-outside-');
    expect(refused(await host.handle('models/load', { projectPath: outside })).code).toBe('PROJECT_NOT_OPEN');
    expect(refused(await host.handle('models/try', { projectPath: outside, tryId: 't', prompt: 'hi' })).code).toBe('PROJECT_NOT_OPEN');
    expect(ok(await host.handle('models/residency', {})).counters.loads).toBe(0);
  });
});
