import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import type { LlamaRoleOptions } from '../../../../src/runtime/llama/LlamaRoleOptions.js';
import { EmbeddingNotConfiguredError } from '../../../../src/runtime/llama/EmbeddingNotConfiguredError.js';
import { LlamaCallAbortedError } from '../../../../src/runtime/llama/LlamaCallAbortedError.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { rejectionOf } from '../../../utils/modelHostTestKit.js';

let llama: Llama;
let dir: string;
let modelA: string;
let modelE: string;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
  dir = mkdtempSync(join(tmpdir(), 'nightshift-embed-'));
  modelA = createTinyGguf({ path: join(dir, 'a.gguf'), name: 'tiny-a' }).path;
  // A different width, so a vector's length shows which model produced it.
  modelE = createTinyGguf({ path: join(dir, 'e.gguf'), name: 'tiny-e', embeddingLength: 96 }).path;
});

afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const role = (modelPath: string, modelId: string, extra: Partial<LlamaRoleOptions> = {}): LlamaRoleOptions => ({ modelPath, modelId, contextSize: 256, gpuLayers: 0, ...extra });

function backendFor(options: { embedding?: LlamaRoleOptions; budgetBytes?: number }) {
  const backend = createLlamaBackend({
    llama,
    threads: 1,
    roles: { brain: role(modelA, 'tiny-a'), coder: role(modelA, 'tiny-a'), qa: role(modelA, 'tiny-a') },
    ...options,
  });
  onTestFinished(() => backend.dispose());
  return backend;
}

describe('createLlamaBackend embed', () => {
  it('returns one vector per text, of the model’s embedding length, the same for the same text', async () => {
    const backend = backendFor({ embedding: role(modelE, 'tiny-e') });
    const result = await backend.embed({ texts: ['slugify a title', 'parse a date', 'slugify a title'] });
    expect(result.model).toBe('tiny-e');
    expect(result.vectors).toHaveLength(3);
    for (const vector of result.vectors) {
      expect(vector).toHaveLength(96);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    expect(result.vectors[2]).toEqual(result.vectors[0]);
    expect(result.vectors[1]).not.toEqual(result.vectors[0]);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.durationMs).toBeGreaterThanOrEqual(0);

    const again = await backend.embed({ texts: ['slugify a title'] });
    expect(again.vectors[0]).toEqual(result.vectors[0]);

    // Its own file: a second load, and the resident entry says it serves embeddings.
    const stats = backend.stats();
    expect(stats.loads).toBe(2);
    expect(stats.resident.map((model) => [model.modelId, model.roles, model.servesEmbedding])).toEqual([
      ['tiny-a', ['brain', 'coder', 'qa'], false],
      ['tiny-e', [], true],
    ]);
  });

  it('loads a file shared with the coder once, with an embedding context beside the roles’ contexts', async () => {
    const backend = backendFor({ embedding: role(modelA, 'tiny-a', { contextSize: 128 }) });
    await backend.load();
    const result = await backend.embed({ texts: ['one text'] });
    expect(result.vectors[0]).toHaveLength(backend.loaded('coder')!.model.embeddingVectorSize);
    expect(result.vectors[0]).toHaveLength(64);
    const stats = backend.stats();
    expect(stats.loads).toBe(1);
    expect(stats.resident).toHaveLength(1);
    expect(stats.resident[0]).toMatchObject({ roles: ['brain', 'coder', 'qa'], servesEmbedding: true, contextSize: 3 * 256 + 128 });
  });

  it('loads an on-demand embedding model only when embed needs it, within the budget', async () => {
    const backend = backendFor({ embedding: role(modelE, 'tiny-e', { onDemand: true }), budgetBytes: 4 * 1024 ** 3 });
    await backend.load();
    expect(backend.stats().resident.map((model) => model.modelId)).toEqual(['tiny-a']);
    const result = await backend.embed({ texts: ['lazy'] });
    expect(result.vectors[0]).toHaveLength(96);
    expect(backend.stats().resident.map((model) => model.modelId)).toEqual(['tiny-a', 'tiny-e']);
  });

  it('refuses with EmbeddingNotConfiguredError when no embedding model was given', async () => {
    const backend = backendFor({});
    const error = await rejectionOf(backend.embed({ texts: ['x'] }));
    expect(error).toBeInstanceOf(EmbeddingNotConfiguredError);
    expect(error).toMatchObject({ code: 'EMBEDDING_NOT_CONFIGURED' });
  });

  it('stops on abort and on dispose, and serves the next call after an abort', async () => {
    const backend = backendFor({ embedding: role(modelE, 'tiny-e') });
    const controller = new AbortController();
    const call = backend.embed({ texts: Array.from({ length: 200 }, (_, index) => `text ${index}`), signal: controller.signal });
    controller.abort();
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(LlamaCallAbortedError);
    expect(error).toMatchObject({ name: 'AbortError', context: { role: 'embedding', reason: 'signal' } });

    expect((await backend.embed({ texts: ['after'] })).vectors).toHaveLength(1);

    const late = rejectionOf(backend.embed({ texts: Array.from({ length: 200 }, (_, index) => `text ${index}`) }));
    await backend.dispose();
    expect(await late).toMatchObject({ name: 'AbortError', context: { reason: 'disposed' } });
    expect(backend.stats().resident).toEqual([]);
  });
});
