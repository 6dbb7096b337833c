import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../../src/renderer/api/NightshiftApi.js';
import { ModelsState } from '../../../src/renderer/state/ModelsState.svelte.js';
import { simulateAppleSiliconMachine } from '../../../src/runtime/placement/simulateAppleSiliconMachine.js';
import type { ProtocolName, ProtocolRequest, ProtocolResponse } from '../../../src/shared/protocol.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const GIB = 1024 ** 3;

/** The state over the real host on a simulated Mac, with the wire's JSON round trip; `sent` records each message. */
function modelsOn(memoryGb: number, hold?: (name: ProtocolName, request: unknown) => Promise<void>): { models: ModelsState; host: MainHost; sent: Array<{ name: ProtocolName; request: unknown }> } {
  const simulated = simulateAppleSiliconMachine({ memoryBytes: memoryGb * GIB });
  const host = createMainHost({
    dataDir: makeTempDir('nightshift-models-state-'),
    machine: { totalMemoryBytes: simulated.totalMemoryBytes, metalWorkingSetBytes: simulated.metalWorkingSetBytes! },
  });
  onTestFinished(() => host.dispose());
  const sent: Array<{ name: ProtocolName; request: unknown }> = [];
  const api: NightshiftApi = {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      sent.push({ name, request: JSON.parse(JSON.stringify(request)) });
      await hold?.(name, request);
      const result = JSON.parse(JSON.stringify(await host.handle(name, request))) as Parameters<typeof ApiCallError.unwrap>[1];
      return ApiCallError.unwrap(name, result) as ProtocolResponse<K>;
    },
    onEvent: () => () => {},
  };
  return { models: new ModelsState({ api }), host, sent };
}

describe('ModelsState', () => {
  it('loads the machine and its tier profile into the editor', async () => {
    const { models } = modelsOn(24);
    expect(models.ready).toBe(false);
    await models.load();
    expect(models.ready).toBe(true);
    expect(models.machine).toMatchObject({ totalMemoryBytes: 24 * GIB, tier: { profileId: 'mac-24gb' } });
    expect(models.draft?.id).toBe('mac-24gb');
    expect(models.draft?.roles.coder).toEqual({ model: 'qwen2.5-coder-14b-q4km', contextSize: 16384, gpuLayers: 'max', pinned: false });
    expect(models.verdict).toBe('fits');
  });

  it('plans several changes made at once in one request, and shows the latest plan', async () => {
    const { models, sent } = modelsOn(32);
    await models.load();
    sent.length = 0;
    models.setRole('coder', { model: 'qwen2.5-coder-7b-q4km' });
    models.setRole('coder', { contextSize: 24576 });
    expect(models.planning).toBe(true);
    await models.settled();
    expect(sent.map((each) => each.name)).toEqual(['models/plan']);
    expect(models.verdict).toBe('fits');

    models.setRole('coder', { contextSize: 32768 });
    await models.settled();
    expect(models.verdict).toBe('must-swap');
    expect(models.suggestion).toMatch(/devstral-small-2507-q4km cannot stay resident/);
    expect(models.planning).toBe(false);
  });

  it('drops an answer a newer change overtook', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { models, sent } = modelsOn(32, (name, request) =>
      name === 'models/plan' && (request as { profile?: { roles: { coder: { contextSize: number } } } }).profile?.roles.coder.contextSize === 32768 ? held : Promise.resolve(),
    );
    await models.load();
    models.setRole('coder', { model: 'qwen2.5-coder-7b-q4km', contextSize: 32768 });
    const first = models.settled();
    while (sent.length < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    models.setRole('coder', { contextSize: 16384 });
    await models.settled();
    expect(models.verdict).toBe('fits');
    release();
    await first;
    expect(models.view?.plan.roles.find((role) => role.role === 'coder')?.requestedContext).toBe(16384);
    expect(models.verdict).toBe('fits');
  });

  it('shows a context below the minimum next to its field and keeps the last plan', async () => {
    const { models } = modelsOn(24);
    await models.load();
    const before = models.view;
    models.setRole('coder', { contextSize: 4096 });
    await models.settled();
    expect(models.fieldErrors).toEqual({ 'coder.contextSize': '4096 is below the coder minimum of 16384 tokens' });
    expect(models.view).toBe(before);
    expect(models.error).toBeNull();
    models.setRole('coder', { contextSize: Number.NaN });
    expect(models.fieldErrors).toEqual({ 'coder.contextSize': 'a whole number of tokens' });
    models.setRole('coder', { contextSize: 20480 });
    await models.settled();
    expect(models.fieldErrors).toEqual({});
    expect(models.view?.profile.roles.coder.contextSize).toBe(20480);
  });

  it('plans the draft for a what-if Mac and loads that tier profile on request', async () => {
    const { models } = modelsOn(32);
    await models.load();
    models.setRole('coder', { model: 'qwen2.5-coder-7b-q4km', contextSize: 32768 });
    await models.settled();
    expect(models.verdict).toBe('must-swap');
    models.setWhatIf(64);
    await models.settled();
    expect(models.verdict).toBe('fits');
    expect(models.view?.machine).toMatchObject({ simulated: true, totalMemoryBytes: 64 * GIB });
    expect(models.draft?.id).toBe('mac-32gb');
    await models.useTierProfile();
    expect(models.draft?.id).toBe('mac-64gb');
  });

  it('saves globally, and refuses the project scope without a project next to its field', async () => {
    const { models, host } = modelsOn(24);
    await models.load();
    models.setRole('coder', { contextSize: 20480 });
    models.scope = 'project';
    expect(await models.save()).toBe(false);
    expect(models.fieldErrors).toEqual({ projectPath: expect.stringMatching(/open a project/) });
    models.scope = 'global';
    expect(await models.save()).toBe(true);
    expect(models.savedPath).toBe(join(host.dataDir, 'models.json'));
    expect(existsSync(models.savedPath!)).toBe(true);
    expect(JSON.parse(readFileSync(models.savedPath!, 'utf8'))).toMatchObject({ profiles: [{ id: 'mac-24gb', roles: { coder: { contextSize: 20480 } } }] });
    models.setRole('coder', { contextSize: 16384 });
    expect(models.savedPath).toBeNull();
  });
});
