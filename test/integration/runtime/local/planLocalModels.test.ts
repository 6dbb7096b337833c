import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import { planLocalModels } from '../../../../src/runtime/local/planLocalModels.js';
import type { MachineInfo } from '../../../../src/runtime/placement/PlacementPlan.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const GIB = 1024 ** 3;
/** The planner's default reserve for any machine below 40 GiB. */
const RESERVE = 6 * GIB;

let llama: Llama;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
});

afterAll(async () => {
  await llama?.dispose();
});

/**
 * A data directory whose models.json adds three tiny local GGUFs and a profile for them: brain pinned on
 * tiny-a, coder on tiny-b with priority 2, qa on the ten-times-larger tiny-c; every context at the
 * lowered minimum, so the planner cannot shrink one to make a model fit.
 */
function tinyProfile(): string {
  const dataDir = makeTempDir('nightshift-local-models-');
  const model = (id: string, shape: { embeddingLength?: number; blockCount?: number }) => ({
    id,
    name: id,
    family: id,
    source: createTinyGguf({ path: join(dataDir, `${id}.gguf`), name: id, ...shape }).path,
    quantization: 'F32',
    fileSizeBytes: 1,
    parameters: '1M',
    trainedContext: 2048,
    goodFor: ['brain', 'coder', 'qa'],
    chatTemplateNotes: 'ChatML',
    license: 'MIT',
  });
  const assignment = (modelId: string, extra: Record<string, unknown> = {}) => ({ model: modelId, contextSize: 256, gpuLayers: 0, ...extra });
  writeFileSync(
    join(dataDir, 'models.json'),
    JSON.stringify({
      minimumContext: { brain: 256, coder: 256, qa: 256, embedding: 256 },
      models: [model('tiny-a', {}), model('tiny-b', {}), model('tiny-c', { embeddingLength: 256, blockCount: 4 })],
      profiles: [
        {
          id: 'tiny-test',
          memoryGb: 1,
          description: 'Three tiny models for tests.',
          roles: { brain: assignment('tiny-a', { pinned: true }), coder: assignment('tiny-b', { priority: 2 }), qa: assignment('tiny-c') },
        },
      ],
    }),
  );
  return dataDir;
}

const machineWith = (budgetBytes: number): MachineInfo => ({ totalMemoryBytes: RESERVE + budgetBytes, freeMemoryBytes: RESERVE + budgetBytes, unified: false });

describe('planLocalModels', () => {
  it('carries the plan into the llama spec: budget, pinning, priorities, and a must-swap model on demand', async () => {
    const dataDir = tinyProfile();
    const roomy = await planLocalModels({ dataDir, profileId: 'tiny-test', machine: machineWith(64 * GIB), llama });
    const bytes = (modelId: string) => roomy.plan!.models.find((model) => model.modelId === modelId)!.totalBytes;
    expect(roomy.plan!.models.map((model) => model.verdict)).toEqual(['fits', 'fits', 'fits']);
    expect(roomy.spec.budgetBytes).toBe(roomy.plan!.budgetBytes);
    expect(roomy.spec.roles.qa.onDemand).toBe(false);

    // tiny-c fits beside the pinned tiny-a, not beside both
    const budgetBytes = bytes('tiny-a') + bytes('tiny-b') + bytes('tiny-c') - bytes('tiny-b') / 2;
    const { spec, plan } = await planLocalModels({ dataDir, profileId: 'tiny-test', machine: machineWith(budgetBytes), llama });
    expect(plan!.models.map((model) => [model.modelId, model.verdict, model.onDemand])).toEqual([
      ['tiny-a', 'fits', false],
      ['tiny-b', 'fits', false],
      ['tiny-c', 'must-swap', false],
    ]);
    expect(spec.budgetBytes).toBe(budgetBytes);
    expect(spec.roles.brain).toMatchObject({ modelId: 'tiny-a', pinned: true, onDemand: false, priority: 0, contextSize: 256 });
    expect(spec.roles.coder).toMatchObject({ modelId: 'tiny-b', pinned: false, onDemand: false, priority: 2 });
    expect(spec.roles.qa).toMatchObject({ modelId: 'tiny-c', pinned: false, onDemand: true, priority: 0 });

    // the backend keeps what the plan keeps resident and leaves the swapped model to the calls needing it
    const backend = createLlamaBackend({ llama, threads: 1, roles: spec.roles, ...(spec.budgetBytes === undefined ? {} : { budgetBytes: spec.budgetBytes }) });
    onTestFinished(() => backend.dispose());
    await backend.load();
    expect(backend.stats().resident.map((model) => model.modelId)).toEqual(['tiny-a', 'tiny-b']);
    expect(backend.stats().budgetBytes).toBe(budgetBytes);
  });
});
