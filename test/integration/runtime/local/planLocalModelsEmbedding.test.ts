import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import { planLocalModels } from '../../../../src/runtime/local/planLocalModels.js';
import type { MachineInfo } from '../../../../src/runtime/placement/PlacementPlan.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const GIB = 1024 ** 3;
const machine: MachineInfo = { totalMemoryBytes: 64 * GIB, freeMemoryBytes: 64 * GIB, unified: false };

let llama: Llama;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
});

afterAll(async () => {
  await llama?.dispose();
});

/**
 * A data directory whose models.json has a profile with brain, coder and qa on tiny-a (64 wide) and the
 * embedding role on `embeddingModel`; both tiny-a and tiny-e (96 wide) are written as local GGUFs.
 */
function embeddingProfile(options: { embeddingModel: 'tiny-a' | 'tiny-e' }): { dataDir: string; embeddingPath: string } {
  const dataDir = makeTempDir('nightshift-local-embed-');
  const model = (id: string, embeddingLength: number) => ({
    id,
    name: id,
    family: id,
    source: createTinyGguf({ path: join(dataDir, `${id}.gguf`), name: id, embeddingLength }).path,
    quantization: 'F32',
    fileSizeBytes: 1,
    parameters: '1M',
    trainedContext: 2048,
    goodFor: ['brain', 'coder', 'qa', 'embedding'],
    chatTemplateNotes: 'ChatML',
    license: 'MIT',
  });
  const assignment = (modelId: string) => ({ model: modelId, contextSize: 256, gpuLayers: 0 });
  writeFileSync(
    join(dataDir, 'models.json'),
    JSON.stringify({
      minimumContext: { brain: 256, coder: 256, qa: 256, embedding: 256 },
      models: [model('tiny-a', 64), model('tiny-e', 96)],
      profiles: [
        {
          id: 'tiny-embed',
          memoryGb: 1,
          description: 'Tiny models with an embedding role.',
          roles: { brain: assignment('tiny-a'), coder: assignment('tiny-a'), qa: assignment('tiny-a'), embedding: assignment(options.embeddingModel) },
        },
      ],
    }),
  );
  return { dataDir, embeddingPath: join(dataDir, `${options.embeddingModel}.gguf`) };
}

describe('planLocalModels with an embedding role', () => {
  it('puts the profile’s embedding model into the spec, and the backend built from it embeds', async () => {
    const { dataDir, embeddingPath } = embeddingProfile({ embeddingModel: 'tiny-e' });
    const { spec, plan, warnings } = await planLocalModels({ dataDir, profileId: 'tiny-embed', machine, llama });
    expect(warnings).toEqual([]);
    expect(spec.embedding).toMatchObject({ modelId: 'tiny-e', modelPath: embeddingPath, contextSize: 256, gpuLayers: 0 });
    expect(plan!.models.map((model) => model.modelId)).toEqual(['tiny-a', 'tiny-e']);

    const backend = createLlamaBackend({ llama, threads: 1, roles: spec.roles, ...(spec.embedding ? { embedding: spec.embedding } : {}) });
    onTestFinished(() => backend.dispose());
    const result = await backend.embed({ texts: ['hello'] });
    expect(result).toMatchObject({ model: 'tiny-e' });
    expect(result.vectors[0]).toHaveLength(96);
  });

  it('serves embedding from the coder’s file when the profile shares it', async () => {
    const { dataDir } = embeddingProfile({ embeddingModel: 'tiny-a' });
    const { spec, warnings } = await planLocalModels({ dataDir, profileId: 'tiny-embed', machine, llama });
    expect(warnings).toEqual([]);
    expect(spec.embedding).toMatchObject({ modelId: 'tiny-a', modelPath: spec.roles.coder.modelPath });
  });

  it('leaves embedding out with a warning, instead of failing, when its file is missing', async () => {
    const { dataDir, embeddingPath } = embeddingProfile({ embeddingModel: 'tiny-e' });
    rmSync(embeddingPath);
    const { spec, plan, warnings } = await planLocalModels({ dataDir, profileId: 'tiny-embed', machine, llama });
    expect(spec.embedding).toBeUndefined();
    expect(spec.roles.coder.modelId).toBe('tiny-a');
    expect(plan!.models.map((model) => model.modelId)).toEqual(['tiny-a']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('tiny-e');
    expect(warnings[0]).toContain('nightshift models pull tiny-e');
  });
});
