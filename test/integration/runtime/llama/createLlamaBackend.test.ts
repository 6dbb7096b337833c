import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { ModelOutputError } from '../../../../src/shared/model/ModelOutputError.js';
import { createModelClientFromBackend } from '../../../../src/shared/model/createModelClientFromBackend.js';
import type { JsonGenerateRequest } from '../../../../src/shared/model/JsonGenerateRequest.js';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import type { LlamaRoleOptions } from '../../../../src/runtime/llama/LlamaRoleOptions.js';
import { LlamaBackendDisposedError } from '../../../../src/runtime/llama/LlamaBackendDisposedError.js';
import { LlamaCallAbortedError } from '../../../../src/runtime/llama/LlamaCallAbortedError.js';
import { LlamaConfigError } from '../../../../src/runtime/llama/LlamaConfigError.js';
import { LlamaModelLoadError } from '../../../../src/runtime/llama/LlamaModelLoadError.js';
import { LlamaPromptTooLongError } from '../../../../src/runtime/llama/LlamaPromptTooLongError.js';
import { ModelCallAbortedError } from '../../../../src/shared/model/ModelCallAbortedError.js';
import type { ModelRole } from '../../../../src/shared/modelRole.js';
import { reviewVerdictSchema } from '../../../../src/shared/reviewVerdictSchema.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';

let llama: Llama;
let dir: string;
let modelA: string;
let modelB: string;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
  dir = mkdtempSync(join(tmpdir(), 'nightshift-llama-'));
  modelA = createTinyGguf({ path: join(dir, 'a.gguf'), name: 'tiny-a' }).path;
  modelB = createTinyGguf({ path: join(dir, 'b.gguf'), name: 'tiny-b' }).path;
});

afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const role = (modelPath: string, extra: Partial<LlamaRoleOptions> = {}): LlamaRoleOptions => ({
  modelPath,
  modelId: modelPath.endsWith('a.gguf') ? 'tiny-a' : 'tiny-b',
  contextSize: 1024,
  gpuLayers: 0,
  maxTokens: 200,
  ...extra,
});

/** A backend over the shared CPU llama, disposed when the test ends. */
function backendFor(roles: Partial<Record<ModelRole, LlamaRoleOptions>> = {}) {
  const backend = createLlamaBackend({
    llama,
    threads: 1,
    roles: { brain: role(modelA), coder: role(modelB), qa: role(modelA), ...roles },
  });
  onTestFinished(() => backend.dispose());
  return backend;
}

const smallSchema = z.object({
  verdict: z.enum(['GO', 'NO_GO']),
  confident: z.boolean(),
  // a union: node-llama-cpp only understands it once anyOf becomes oneOf
  level: z.union([z.literal('low'), z.literal('high'), z.boolean()]),
  note: z.string().max(12).nullable(),
});
/** Forces at least 150 characters of output, so there is time to abort and reason to hit maxTokens. */
const longSchema = z.object({ essay: z.string().min(150) });

const request = (extra: Partial<JsonGenerateRequest> = {}): JsonGenerateRequest => ({
  role: 'qa',
  promptId: 'review@1',
  system: 'You review changes and answer in JSON.',
  user: 'Review the change that adds slugify().',
  jsonSchema: z.toJSONSchema(smallSchema, { io: 'output' }) as Record<string, unknown>,
  meta: { taskId: 'T1', phase: 'review', attempt: 1 },
  temperature: 0.8,
  seed: 1,
  ...extra,
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('createLlamaBackend: placement', () => {
  it('loads a file named by two roles once and gives each role its own context', async () => {
    const backend = backendFor();
    expect(backend.loaded('brain')).toBeNull();
    await backend.load();
    await backend.load();

    const stats = backend.stats();
    expect(stats.loads).toBe(2);
    expect(stats.unloads).toBe(0);
    expect(stats.resident.map((entry) => [entry.modelId, entry.roles, entry.contextSize])).toEqual([
      ['tiny-a', ['brain', 'qa'], 2048],
      ['tiny-b', ['coder'], 1024],
    ]);
    const brain = backend.loaded('brain')!;
    const qa = backend.loaded('qa')!;
    const coder = backend.loaded('coder')!;
    expect(qa.model).toBe(brain.model);
    expect(qa.context).not.toBe(brain.context);
    expect(coder.model).not.toBe(brain.model);
    expect(brain.model.filename).toBe('a.gguf');
    expect(coder.model.filename).toBe('b.gguf');
  });

  it('records estimated and measured memory for every load', async () => {
    const backend = backendFor();
    await backend.load();
    const [shared, single] = backend.stats().resident;
    const fileSize = readFileSync(modelA).length;
    // weights plus two 1024-token contexts versus weights plus one
    expect(shared!.estimatedBytes).toBeGreaterThan(fileSize);
    expect(shared!.estimatedBytes).toBeGreaterThan(single!.estimatedBytes);
    expect(shared!.gpuLayers).toBe(0);
    for (const entry of [shared!, single!]) {
      // llama.cpp's own account of its buffers: the weights at least, and near the estimate
      expect(entry.measuredBytes).toBeGreaterThan(fileSize * 0.9);
      expect(entry.measuredBytes).toBeGreaterThan(entry.estimatedBytes * 0.5);
      expect(entry.measuredBytes).toBeLessThan(entry.estimatedBytes * 2);
      expect(Number.isInteger(entry.rssDeltaBytes)).toBe(true);
      expect(entry.loadMs).toBeGreaterThan(0);
    }
    expect(shared!.measuredBytes).toBeGreaterThan(single!.measuredBytes);
  });

  it('loads one model for three roles naming the same file', async () => {
    const backend = backendFor({ coder: role(modelA, { contextSize: 512 }) });
    await backend.generate(request({ role: 'coder' }));
    const stats = backend.stats();
    expect(stats.loads).toBe(1);
    expect(stats.resident).toHaveLength(1);
    expect(stats.resident[0]!.roles).toEqual(['brain', 'coder', 'qa']);
    expect(stats.resident[0]!.contextSize).toBe(1024 + 512 + 1024);
    expect(backend.loaded('coder')!.context.contextSize).toBe(512);
  });

  it('refuses roles that share a file but not gpuLayers', async () => {
    const backend = backendFor({ qa: role(modelA, { gpuLayers: 'max' }) });
    const error = await failure(backend.load());
    expect(error).toBeInstanceOf(LlamaConfigError);
    expect(error).toMatchObject({ code: 'MODEL_CONFIG_INVALID', context: { roles: ['brain', 'qa'] } });
  });

  it('reports a missing or corrupt file as a load error and loads nothing', async () => {
    const missing = backendFor({ coder: role(join(dir, 'absent.gguf')) });
    const error = await failure(missing.generate(request({ role: 'brain' })));
    expect(error).toBeInstanceOf(LlamaModelLoadError);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED', context: { step: 'open', roles: ['coder'] } });
    expect(missing.stats()).toEqual({ loads: 0, unloads: 0, evictions: 0, budgetBytes: null, resident: [], loadRecords: [] });

    const notGguf = join(dir, 'not-gguf.gguf');
    writeFileSync(notGguf, 'This is a text file, not a model.\n'.repeat(20));
    const corrupt = backendFor({ coder: role(notGguf) });
    const corruptError = await failure(corrupt.load());
    expect(corruptError).toBeInstanceOf(LlamaModelLoadError);
    expect(corruptError).toMatchObject({ context: { step: 'read-metadata', roles: ['coder'] } });
    // model A loaded first, and was unloaded when B failed
    expect(corrupt.stats()).toMatchObject({ loads: 1, unloads: 1, evictions: 0, resident: [] });
    expect(corrupt.stats().loadRecords.map((record) => record.modelId)).toEqual(['tiny-a']);
  });

  it('refuses a file whose tensor data is cut short before llama.cpp sees it', async () => {
    const cut = join(dir, 'cut.gguf');
    const bytes = readFileSync(modelB);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 4096));
    const backend = backendFor({ coder: role(cut) });
    const error = await failure(backend.load());
    expect(error).toBeInstanceOf(LlamaModelLoadError);
    expect(error).toMatchObject({ context: { step: 'validate', roles: ['coder'] } });
    expect((error as LlamaModelLoadError).message).toMatch(/truncated/);
  });

  it('unloads everything on dispose and refuses work afterwards', async () => {
    const backend = createLlamaBackend({ llama, threads: 1, roles: { brain: role(modelA), coder: role(modelB), qa: role(modelA) } });
    await backend.load();
    const model = backend.loaded('brain')!.model;
    await backend.dispose();
    await backend.dispose();

    expect(backend.stats()).toMatchObject({ loads: 2, unloads: 2, evictions: 0, budgetBytes: null, resident: [] });
    expect(model.disposed).toBe(true);
    expect(llama.disposed).toBe(false);
    const error = await failure(backend.generate(request()));
    expect(error).toBeInstanceOf(LlamaCallAbortedError);
    expect(error).toMatchObject({ context: { reason: 'disposed' } });
    expect(await failure(backend.load())).toBeInstanceOf(LlamaBackendDisposedError);
  });
});

describe('createLlamaBackend: generation', () => {
  it('produces grammar-constrained JSON that the model client validates', async () => {
    const models = createModelClientFromBackend({ backend: backendFor() });
    for (const seed of [1, 2, 3]) {
      const result = await models.generate({
        role: 'qa',
        promptId: 'review@1',
        system: 'You review changes.',
        user: 'Review the change that adds slugify().',
        schema: smallSchema,
        meta: { taskId: 'T1', phase: 'review', attempt: 1 },
        temperature: 1,
        seed,
        maxTokens: 200,
      });
      expect(smallSchema.parse(JSON.parse(result.text))).toEqual(result.value);
      expect(result).toMatchObject({ model: 'tiny-a', backend: 'llama.cpp' });
    }
  });

  it('fills the review verdict schema within a modest token cap', async () => {
    const models = createModelClientFromBackend({ backend: backendFor() });
    const result = await models.generate({
      role: 'qa',
      promptId: 'review@1',
      system: 'You review changes.',
      user: 'Task: add slugify(). Diff: + export function slugify() {}',
      schema: reviewVerdictSchema,
      meta: { taskId: 'T1', phase: 'review', attempt: 1 },
      temperature: 0.7,
      seed: 5,
      maxTokens: 400,
    });
    expect(['GO', 'NO_GO']).toContain(result.value.verdict);
    expect(result.value.quotedAsk.length).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThan(400);
  });

  it('streams chunks that add up to the text and reports usage', async () => {
    const backend = backendFor();
    const chunks: string[] = [];
    const result = await backend.generate(request(), { onToken: (text) => chunks.push(text) });

    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(result.text);
    expect(() => JSON.parse(result.text) as unknown).not.toThrow();
    const { usage } = result;
    // the chat-formatted system and user prompt: far more tokens than words
    expect(usage.promptTokens).toBeGreaterThan(30);
    expect(usage.outputTokens).toBeGreaterThanOrEqual(chunks.length);
    expect(usage.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(usage.timeToFirstTokenMs!).toBeLessThan(usage.durationMs);
  });

  it('aborts mid-generation with a typed AbortError and keeps the role usable', async () => {
    const backend = backendFor();
    const controller = new AbortController();
    let chunks = 0;
    const error = await failure(
      backend.generate(request({ jsonSchema: z.toJSONSchema(longSchema) as Record<string, unknown>, maxTokens: 400 }), {
        signal: controller.signal,
        onToken: () => {
          chunks++;
          if (chunks === 3) controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(LlamaCallAbortedError);
    expect(error).toBeInstanceOf(ModelCallAbortedError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'MODEL_CALL_ABORTED', context: { reason: 'signal' } });
    const generated = (error as LlamaCallAbortedError).context.outputTokens as number;
    expect(generated).toBeGreaterThanOrEqual(3);
    expect(generated).toBeLessThan(100);

    const already = new AbortController();
    already.abort();
    expect(await failure(backend.generate(request(), { signal: already.signal }))).toBeInstanceOf(LlamaCallAbortedError);

    const after = await backend.generate(request());
    expect(() => JSON.parse(after.text) as unknown).not.toThrow();
  });

  it('aborts a call in flight when the backend is disposed', async () => {
    const backend = backendFor();
    let release!: () => void;
    const started = new Promise<void>((resolve) => (release = resolve));
    const call = failure(
      backend.generate(request({ jsonSchema: z.toJSONSchema(longSchema) as Record<string, unknown>, maxTokens: 400 }), { onToken: () => release() }),
    );
    await started;
    await backend.dispose();
    const error = await call;
    expect(error).toBeInstanceOf(LlamaCallAbortedError);
    expect(error).toMatchObject({ context: { reason: 'disposed' } });
    expect(backend.stats()).toMatchObject({ unloads: 2, resident: [] });
  });

  it('repeats itself for the same seed and temperature, and starts every call from a clean context', async () => {
    const backend = backendFor();
    const first = await backend.generate(request({ seed: 42 }));
    await backend.generate(request({ seed: 7, user: 'Something else entirely, with more words in it.' }));
    const again = await backend.generate(request({ seed: 42 }));
    expect(again.text).toBe(first.text);
    expect(again.usage.promptTokens).toBe(first.usage.promptTokens);

    const others = await Promise.all([3, 4, 5, 6].map((seed) => backend.generate(request({ seed }))));
    expect(others.some((other) => other.text !== first.text)).toBe(true);
  });

  it('is greedy at temperature 0, whatever the seed', async () => {
    const backend = backendFor();
    const one = await backend.generate(request({ temperature: 0, seed: 1 }));
    const two = await backend.generate(request({ temperature: 0, seed: 2 }));
    expect(two.text).toBe(one.text);
  });

  it('runs calls on roles that share a model side by side', async () => {
    const backend = backendFor();
    const [brain, qa] = await Promise.all([backend.generate(request({ role: 'brain' })), backend.generate(request({ role: 'qa' }))]);
    // same model, same prompt, same seed: only separate clean contexts give equal answers
    expect(qa.text).toBe(brain.text);
    expect(backend.stats().loads).toBe(2);
  });

  it('returns one candidate per temperature', async () => {
    const backend = backendFor();
    const seen: number[] = [];
    const candidates = await backend.generateCandidates(request({ seed: 9 }), {
      temperatures: [0, 0.7, 1.5],
      onToken: (_text, index) => seen.push(index),
    });
    expect(candidates).toHaveLength(3);
    for (const candidate of candidates) smallSchema.parse(JSON.parse(candidate.text));
    expect([...new Set(seen)]).toEqual([0, 1, 2]);
    const greedy = await backend.generate(request({ seed: 9, temperature: 0 }));
    expect(candidates[0]!.text).toBe(greedy.text);
    const hot = await backend.generate(request({ seed: 9, temperature: 1.5 }));
    expect(candidates[2]!.text).toBe(hot.text);
  });

  it('returns truncated text when maxTokens runs out before the grammar completes', async () => {
    const backend = backendFor();
    const started = performance.now();
    const result = await backend.generate(request({ jsonSchema: z.toJSONSchema(longSchema) as Record<string, unknown>, maxTokens: 12 }));
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.usage.outputTokens).toBe(12);
    expect(result.text.startsWith('{')).toBe(true);
    expect(() => JSON.parse(result.text) as unknown).toThrow();

    const models = createModelClientFromBackend({ backend });
    const error = await failure(
      models.generate({ role: 'qa', promptId: 'long@1', system: 's', user: 'u', schema: longSchema, meta: { taskId: 'T1', phase: 'review', attempt: 1 }, maxTokens: 12 }),
    );
    expect(error).toBeInstanceOf(ModelOutputError);
  });

  it('caps output at the room the prompt leaves, and refuses prompts that leave none', async () => {
    const backend = backendFor({ qa: role(modelA, { contextSize: 256, maxTokens: 5000 }), brain: role(modelA, { contextSize: 256 }) });
    const result = await backend.generate(request({ jsonSchema: z.toJSONSchema(longSchema) as Record<string, unknown>, maxTokens: undefined }));
    expect(result.usage.promptTokens + result.usage.outputTokens).toBeLessThanOrEqual(256);

    const error = await failure(backend.generate(request({ user: 'word '.repeat(300) })));
    expect(error).toBeInstanceOf(LlamaPromptTooLongError);
    expect(error).toMatchObject({ code: 'MODEL_PROMPT_TOO_LONG', context: { contextSize: 256 } });
  });
});
