import { mkdirSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import type { CatalogModel, CatalogProfile, ModelCatalog } from '../../../../src/runtime/catalog/modelCatalogSchema.js';
import { detectMachine } from '../../../../src/runtime/placement/detectMachine.js';
import { factsFromGguf } from '../../../../src/runtime/placement/factsFromGguf.js';
import { planPlacement } from '../../../../src/runtime/placement/planPlacement.js';
import { resolveProfileFacts } from '../../../../src/runtime/placement/resolveProfileFacts.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';

const SMALL_MINIMUMS = { brain: 512, coder: 1024, qa: 512, embedding: 256 };

describe('factsFromGguf', () => {
  it('reads the architecture and memory estimates of a real GGUF file', async () => {
    const dir = makeTempDir();
    const { path, sizeBytes } = createTinyGguf({ path: join(dir, 'tiny.gguf'), blockCount: 3, embeddingLength: 64, headCount: 4, contextLength: 4096, vocabSize: 320 });
    const facts = await factsFromGguf({ path });
    expect(facts).toMatchObject({ fileSizeBytes: sizeBytes, blockCount: 3, kvHeads: 4, headDim: 16, headCount: 4, vocabSize: 320, trainedContext: 4096 });
    expect(facts.kvLayers).toBeUndefined();
    expect(facts.slidingWindow).toBeUndefined();
    expect(facts.estimateWeightsBytes).toBeGreaterThan(sizeBytes * 0.5);
    expect(facts.estimateWeightsBytes).toBeLessThan(sizeBytes * 2);
    const small = facts.estimateContextBytes!(512);
    const large = facts.estimateContextBytes!(4096);
    // GgufInsights grows the cache by the same KV formula the planner reports.
    expect(large - small).toBeGreaterThanOrEqual(2 * 3 * 4 * 16 * (4096 - 512) * 2);
  });

  it('feeds the planner, which reports the KV formula inside GgufInsights\' totals', async () => {
    const dir = makeTempDir();
    const { path } = createTinyGguf({ path: join(dir, 'tiny.gguf'), blockCount: 2, contextLength: 4096 });
    const facts = await factsFromGguf({ path });
    const machine = await detectMachine();
    const profile: CatalogProfile = {
      id: 'tiny',
      memoryGb: 1,
      description: 'tiny',
      roles: {
        brain: { model: 'tiny', contextSize: 1024, gpuLayers: 'max', pinned: true, priority: 0, onDemand: false },
        coder: { model: 'tiny', contextSize: 2048, gpuLayers: 'max', pinned: true, priority: 0, onDemand: false },
        qa: { model: 'tiny', contextSize: 1024, gpuLayers: 'max', pinned: true, priority: 0, onDemand: false },
      },
    };
    const plan = planPlacement({ machine, profile, models: { tiny: facts }, minimumContext: SMALL_MINIMUMS });
    expect(plan.ok).toBe(true);
    const model = plan.models[0]!;
    expect(model.verdict).toBe('fits');
    expect(model.weightsBytes).toBe(facts.estimateWeightsBytes);
    expect(model.contexts.map((context) => context.kvCacheBytes)).toEqual([1024, 2048, 1024].map((tokens) => 2 * 2 * 4 * 16 * tokens * 2));
    expect(model.kvCacheBytes + model.computeBytes).toBe([1024, 2048, 1024].reduce((sum, tokens) => sum + facts.estimateContextBytes!(tokens), 0));
  });

  it('resolves facts from a local GGUF source, else from the catalog architecture', async () => {
    const dir = makeTempDir();
    mkdirSync(join(dir, 'models'));
    createTinyGguf({ path: join(dir, 'models', 'local.gguf'), vocabSize: 333, contextLength: 4096 });
    const common = { parameters: '1M', trainedContext: 4096, goodFor: ['coder'], chatTemplateNotes: 'ChatML', license: 'MIT', quantization: 'F32' } as const;
    const local: CatalogModel = { ...common, goodFor: ['coder'], id: 'local', name: 'Local', family: 'local', source: './models/local.gguf', fileSizeBytes: 1 };
    const remote: CatalogModel = {
      ...common,
      goodFor: ['qa'],
      id: 'remote',
      name: 'Remote',
      family: 'remote',
      source: 'hf:someone/remote-GGUF/remote.gguf',
      fileSizeBytes: 2_000_000,
      architecture: { blockCount: 4, kvHeads: 2, headDim: 32, headCount: 4, vocabSize: 1000 },
    };
    const profile: CatalogProfile = {
      id: 'mixed',
      memoryGb: 1,
      description: 'mixed',
      roles: {
        brain: { model: 'local', contextSize: 1024, gpuLayers: 'max', pinned: false, priority: 0, onDemand: false },
        coder: { model: 'local', contextSize: 2048, gpuLayers: 'max', pinned: false, priority: 0, onDemand: false },
        qa: { model: 'remote', contextSize: 1024, gpuLayers: 'max', pinned: false, priority: 0, onDemand: false },
      },
    };
    const catalog: ModelCatalog = { version: 1, minimumContext: SMALL_MINIMUMS, models: [local, remote], profiles: [profile] };
    const facts = await resolveProfileFacts({ catalog, profile, baseDir: dir });
    expect(facts.local).toMatchObject({ vocabSize: 333, trainedContext: 4096 });
    expect(facts.local!.estimateContextBytes).toBeTypeOf('function');
    expect(facts.remote).toEqual({ fileSizeBytes: 2_000_000, blockCount: 4, kvHeads: 2, headDim: 32, headCount: 4, vocabSize: 1000, trainedContext: 4096 });
    await expect(resolveProfileFacts({ catalog, profile, baseDir: join(dir, 'elsewhere') })).rejects.toThrow(/no architecture block/);
  });
});

describe('detectMachine', () => {
  it('reports the OS memory, and Metal\'s working set with unified memory only on Apple Silicon', async () => {
    const machine = await detectMachine();
    expect(machine.totalMemoryBytes).toBe(totalmem());
    expect(machine.freeMemoryBytes).toBeGreaterThan(0);
    expect(machine.freeMemoryBytes).toBeLessThanOrEqual(Math.max(totalmem(), freemem()));
    if (process.platform === 'darwin' && process.arch === 'arm64') {
      expect(machine.unified).toBe(true);
      expect(machine.metalWorkingSetBytes).toBeGreaterThan(0);
      expect(machine.metalWorkingSetBytes).toBeLessThanOrEqual(machine.totalMemoryBytes);
    } else {
      expect(machine).toEqual({ totalMemoryBytes: totalmem(), freeMemoryBytes: machine.freeMemoryBytes, unified: false });
    }
  });

  it('asks a given Llama about its GPU, and plans against RAM when it has none', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    try {
      const machine = await detectMachine({ llama });
      expect(machine.unified).toBe(false);
      expect(machine.metalWorkingSetBytes).toBeUndefined();
      expect(llama.disposed).toBe(false);
    } finally {
      await llama.dispose();
    }
  });
});
