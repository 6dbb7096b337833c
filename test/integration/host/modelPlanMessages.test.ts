import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMainHost, type MainHost } from '../../../src/host/createMainHost.js';
import { planLocalModels } from '../../../src/runtime/local/planLocalModels.js';
import { simulateAppleSiliconMachine } from '../../../src/runtime/placement/simulateAppleSiliconMachine.js';
import type { ModelsPlanView, ModelsProfileDraft } from '../../../src/shared/modelPlanProtocol.js';
import type { ProtocolName, ProtocolResponse, ProtocolResult } from '../../../src/shared/protocol.js';
import { createTinyGguf } from '../../fixtures/createTinyGguf.js';
import { createGitRepo } from '../../utils/createGitRepo.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const GIB = 1024 ** 3;

/** A host over a fresh data directory that plans for a simulated Apple Silicon Mac with `memoryGb` of memory. */
function hostOn(options: { memoryGb: number; dataDir?: string }): { host: MainHost; dataDir: string } {
  const dataDir = options.dataDir ?? makeTempDir('nightshift-model-plan-');
  const simulated = simulateAppleSiliconMachine({ memoryBytes: options.memoryGb * GIB });
  const host = createMainHost({
    dataDir,
    clock: { now: () => 1_763_676_000_000 },
    machine: { totalMemoryBytes: simulated.totalMemoryBytes, metalWorkingSetBytes: simulated.metalWorkingSetBytes!, chip: 'Apple M2 Pro' },
  });
  onTestFinished(() => host.dispose());
  return { host, dataDir };
}

async function ok<K extends ProtocolName>(host: MainHost, name: K, request: unknown): Promise<ProtocolResponse<K>> {
  const result = await host.handle(name, request);
  if (!result.ok) throw new Error(`${name} refused: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function refused(result: ProtocolResult<unknown>) {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

function withCoder(view: ModelsPlanView, coder: Partial<ModelsProfileDraft['roles']['coder']>): ModelsProfileDraft {
  return { id: view.profile.id, roles: { ...view.profile.roles, coder: { ...view.profile.roles.coder, ...coder } } };
}

/**
 * A data directory whose models.json adds two tiny local GGUFs and a profile of them with lowered minimums,
 * so planLocalModels finds every file and reads real headers.
 */
function tinyDataDir(): string {
  const dataDir = makeTempDir('nightshift-model-plan-tiny-');
  const model = (id: string) => ({
    id,
    name: id,
    family: id,
    source: createTinyGguf({ path: join(dataDir, `${id}.gguf`), name: id }).path,
    quantization: 'F32',
    fileSizeBytes: 1,
    parameters: '1M',
    trainedContext: 2048,
    goodFor: ['brain', 'coder', 'qa'],
    chatTemplateNotes: 'ChatML',
    license: 'MIT',
  });
  const assignment = (modelId: string) => ({ model: modelId, contextSize: 256, gpuLayers: 0 });
  writeFileSync(
    join(dataDir, 'models.json'),
    JSON.stringify({
      minimumContext: { brain: 256, coder: 256, qa: 256, embedding: 256 },
      models: [model('tiny-a'), model('tiny-b')],
      profiles: [{ id: 'tiny-test', memoryGb: 1, description: 'Two tiny models for tests.', roles: { brain: assignment('tiny-a'), coder: assignment('tiny-b'), qa: assignment('tiny-a') } }],
    }),
  );
  return dataDir;
}

describe('models/* planning messages', () => {
  it('describes the machine: chip, memory, Metal working set as the budget, its tier and disk free', async () => {
    const { host, dataDir } = hostOn({ memoryGb: 24 });
    const machine = await ok(host, 'models/machine', {});
    expect(machine).toMatchObject({
      chip: 'Apple M2 Pro',
      simulated: true,
      unified: true,
      totalMemoryBytes: 24 * GIB,
      metalWorkingSetBytes: 16 * GIB,
      budgetBytes: 16 * GIB,
      limitedBy: 'metal-working-set',
      tier: { profileId: 'mac-24gb', memoryGb: 24 },
      modelsDir: join(dataDir, 'models'),
    });
    expect(machine.tiers).toEqual([...machine.tiers].sort((a, b) => a - b));
    expect(machine.tiers).toContain(16);
    expect(machine.diskFreeBytes).toBeGreaterThan(0);
  });

  it('plans the tier profile on a 24 GB Mac and shrinks the shared brain+coder model as the coder context grows', async () => {
    const { host } = hostOn({ memoryGb: 24 });
    const initial = await ok(host, 'models/plan', {});
    expect(initial.profile.id).toBe('mac-24gb');
    expect(initial.verdict).toBe('fits');
    expect(initial.suggestion).toMatch(/gemma-3-12b-q4km swaps in when needed/);
    expect(initial.plan.models.find((model) => model.roles.includes('coder'))!.weightsBytes).toBeGreaterThan(8 * GIB);

    const larger = await ok(host, 'models/plan', { profile: withCoder(initial, { contextSize: 32768 }) });
    expect(larger.verdict).toBe('fits-smaller-context');
    const coder = larger.plan.roles.find((role) => role.role === 'coder')!;
    expect(coder.requestedContext).toBe(32768);
    expect(coder.contextSize).toBeLessThan(32768);
    expect(larger.suggestion).toMatch(/coder runs with \d+ tokens instead of 32768/);
  });

  it('turns to must-swap as the coder context of its own model grows, and back to fits on a what-if 64 GB Mac', async () => {
    // Brain and coder share one model in every tier up to 36 GB, and a model loaded first can only shrink or
    // not run; giving the coder its own model is what lets its context push another model out.
    const { host } = hostOn({ memoryGb: 32 });
    const initial = await ok(host, 'models/plan', {});
    expect(initial.profile.id).toBe('mac-32gb');
    const verdicts: string[] = [];
    let last = initial;
    for (const contextSize of [16384, 24576, 32768]) {
      last = await ok(host, 'models/plan', { profile: withCoder(initial, { model: 'qwen2.5-coder-7b-q4km', contextSize }) });
      verdicts.push(last.verdict);
    }
    expect(verdicts).toEqual(['fits', 'fits', 'must-swap']);
    expect(last.plan.models.find((model) => model.roles.includes('brain'))).toMatchObject({ modelId: 'devstral-small-2507-q4km', verdict: 'must-swap', onDemand: false });
    expect(last.suggestion).toMatch(/^Must swap/);
    expect(last.suggestion).toMatch(/devstral-small-2507-q4km cannot stay resident beside the others/);
    expect(last.suggestion.match(/--profile mac-24gb/g)).toHaveLength(1);

    const bigger = await ok(host, 'models/plan', { profile: withCoder(initial, { model: 'qwen2.5-coder-7b-q4km', contextSize: 32768 }), memoryGb: 64 });
    expect(bigger.verdict).toBe('fits');
    expect(bigger.machine).toMatchObject({ simulated: true, totalMemoryBytes: 64 * GIB, tier: { profileId: 'mac-64gb' } });
    expect(bigger.plan.budgetBytes).toBeGreaterThan(last.plan.budgetBytes);
  });

  it('refuses a context below the role minimum or above the trained context, naming the field', async () => {
    const { host, dataDir } = hostOn({ memoryGb: 24 });
    const initial = await ok(host, 'models/plan', {});
    const low = refused(await host.handle('models/plan', { profile: withCoder(initial, { contextSize: 8192 }) }));
    expect(low.code).toBe('MODEL_PROFILE_INVALID');
    expect(low.context).toMatchObject({ field: 'profile.roles.coder.contextSize', reason: '8192 is below the coder minimum of 16384 tokens' });
    const high = refused(await host.handle('models/plan', { profile: withCoder(initial, { contextSize: 10_000_000 }) }));
    expect(high.context).toMatchObject({ field: 'profile.roles.coder.contextSize', reason: expect.stringMatching(/exceeds .* trained context/) });
    const unknown = refused(await host.handle('models/plan', { profile: withCoder(initial, { model: 'no-such-model' }) }));
    expect(unknown.context).toMatchObject({ field: 'profile.roles.coder.model' });
    const saved = refused(await host.handle('models/profile', { scope: 'global', profile: withCoder(initial, { contextSize: 8192 }) }));
    expect(saved.context).toMatchObject({ field: 'profile.roles.coder.contextSize' });
    expect(existsSync(join(dataDir, 'models.json'))).toBe(false);
    const noProject = refused(await host.handle('models/profile', { scope: 'project', profile: withCoder(initial, {}) }));
    expect(noProject.context).toMatchObject({ field: 'projectPath' });
  });

  it('saves global and per-project overrides where planLocalModels reads them', async () => {
    const dataDir = tinyDataDir();
    const { host } = hostOn({ memoryGb: 16, dataDir });
    const machine = simulateAppleSiliconMachine({ memoryBytes: 16 * GIB });
    const project = realpathSync(createGitRepo({ dir: join(makeTempDir('nightshift-model-plan-project-'), 'repo'), commits: [{ files: { 'README.md': '# p\n' } }] }));
    await ok(host, 'project/open', { path: project });

    const initial = await ok(host, 'models/plan', { profile: { id: 'tiny-test', roles: { brain: { model: 'tiny-a', contextSize: 256, gpuLayers: 0, pinned: false }, coder: { model: 'tiny-b', contextSize: 256, gpuLayers: 0, pinned: false }, qa: { model: 'tiny-a', contextSize: 256, gpuLayers: 0, pinned: false } } } });
    const global = await ok(host, 'models/profile', { scope: 'global', profile: withCoder(initial, { contextSize: 512, pinned: true }) });
    expect(global.path).toBe(join(dataDir, 'models.json'));
    expect(global.profile.roles.coder).toEqual({ model: 'tiny-b', contextSize: 512, gpuLayers: 0, pinned: true });
    const file = JSON.parse(readFileSync(global.path, 'utf8')) as { models: unknown[]; minimumContext: unknown };
    expect(file.models).toHaveLength(2);
    expect(file.minimumContext).toEqual({ brain: 256, coder: 256, qa: 256, embedding: 256 });

    const everywhere = await planLocalModels({ dataDir, profileId: 'tiny-test', machine });
    expect(everywhere.spec.roles.coder).toMatchObject({ modelId: 'tiny-b', contextSize: 512, pinned: true });

    const local = await ok(host, 'models/profile', { scope: 'project', projectPath: project, profile: withCoder(global, { contextSize: 1024 }) });
    expect(local.path).toBe(join(project, 'nightshift.models.json'));
    expect((await planLocalModels({ dataDir, projectDir: project, profileId: 'tiny-test', machine })).spec.roles.coder.contextSize).toBe(1024);
    expect((await planLocalModels({ dataDir, profileId: 'tiny-test', machine })).spec.roles.coder.contextSize).toBe(512);

    // The project's plan reads its override on top of the global one.
    const replanned = await ok(host, 'models/plan', { projectPath: project, profile: { id: 'tiny-test', roles: local.profile.roles } });
    expect(replanned.plan.roles.find((role) => role.role === 'coder')!.contextSize).toBe(1024);
  });
});
