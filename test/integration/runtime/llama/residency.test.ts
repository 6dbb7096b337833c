import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import type { JsonGenerateRequest } from '../../../../src/shared/model/JsonGenerateRequest.js';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import type { LlamaBackend } from '../../../../src/runtime/llama/LlamaBackend.js';
import type { LlamaRoleOptions } from '../../../../src/runtime/llama/LlamaRoleOptions.js';
import { LlamaCallAbortedError } from '../../../../src/runtime/llama/LlamaCallAbortedError.js';
import { ModelCannotFitError } from '../../../../src/runtime/placement/ModelCannotFitError.js';
import type { ModelRole } from '../../../../src/shared/modelRole.js';
import { createResidencyGgufs } from '../../../fixtures/createResidencyGgufs.js';

let llama: Llama;
let dir: string;
let roles: Record<ModelRole, LlamaRoleOptions>;
/** Estimated bytes of tiny-a (brain), tiny-b (coder) and tiny-c (qa, about ten times the others). */
let a: number;
let b: number;
let c: number;

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
  dir = mkdtempSync(join(tmpdir(), 'nightshift-residency-'));
  const models = await createResidencyGgufs({ dir, llama });
  roles = models.roles;
  ({ 'tiny-a': a, 'tiny-b': b, 'tiny-c': c } = models.estimates);
});

afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Any two of the three fit, all three do not. */
const twoFit = () => a + b + c - Math.min(a, b) / 2;

function backendFor(options: { budgetBytes: number; roles?: Partial<Record<ModelRole, Partial<LlamaRoleOptions>>> }): LlamaBackend {
  const merged = Object.fromEntries(
    (Object.keys(roles) as ModelRole[]).map((role) => [role, { ...roles[role], ...options.roles?.[role] }]),
  ) as Record<ModelRole, LlamaRoleOptions>;
  const backend = createLlamaBackend({ llama, threads: 1, roles: merged, budgetBytes: options.budgetBytes });
  onTestFinished(() => backend.dispose());
  return backend;
}

const answerSchema = z.toJSONSchema(z.object({ verdict: z.enum(['GO', 'NO_GO']), confident: z.boolean() })) as Record<string, unknown>;
/** Forces a long answer, so a call holds its model for a while. */
const essaySchema = z.toJSONSchema(z.object({ essay: z.string().min(150) })) as Record<string, unknown>;

const request = (role: ModelRole, extra: Partial<JsonGenerateRequest> = {}): JsonGenerateRequest => ({
  role,
  promptId: `${role}@1`,
  system: 'Answer in JSON.',
  user: 'Is the change ready?',
  jsonSchema: answerSchema,
  meta: { taskId: 'T1', phase: 'review', attempt: 1 },
  seed: 1,
  ...extra,
});

const call = (backend: LlamaBackend, role: ModelRole) => backend.generate(request(role));
const residentIds = (backend: LlamaBackend) => backend.stats().resident.map((model) => model.modelId);
const loadedIds = (backend: LlamaBackend) => backend.stats().loadRecords.map((record) => record.modelId);

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('createLlamaBackend with budgetBytes', () => {
  it('evicts the least recently used model when a third does not fit, and reloads it when needed again', async () => {
    const backend = backendFor({ budgetBytes: twoFit() });
    for (const role of ['brain', 'coder', 'qa', 'brain', 'coder', 'qa'] as const) await call(backend, role);

    // brain, coder; qa evicts brain; brain evicts coder; coder evicts qa; qa evicts brain
    expect(backend.stats()).toMatchObject({ loads: 6, unloads: 4, evictions: 4, budgetBytes: twoFit() });
    expect(loadedIds(backend)).toEqual(['tiny-a', 'tiny-b', 'tiny-c', 'tiny-a', 'tiny-b', 'tiny-c']);
    expect(residentIds(backend)).toEqual(['tiny-b', 'tiny-c']);
    expect(backend.loaded('brain')).toBeNull();
    for (const record of backend.stats().loadRecords) {
      const estimate = { 'tiny-a': a, 'tiny-b': b, 'tiny-c': c }[record.modelId]!;
      expect(record.estimatedBytes).toBe(estimate);
      expect(record.measuredBytes).toBeGreaterThan(estimate * 0.5);
      expect(record.measuredBytes).toBeLessThan(estimate * 2);
    }

    await backend.dispose();
    expect(backend.stats()).toMatchObject({ loads: 6, unloads: 6, evictions: 4, resident: [] });
  });

  it('loads the resident models up front in order, leaving out what does not fit beside them', async () => {
    const backend = backendFor({ budgetBytes: twoFit(), roles: { qa: { priority: 1 } } });
    await backend.load();
    await backend.load();
    // qa's higher priority loads it first; brain fits beside it; coder would need an eviction
    expect(residentIds(backend)).toEqual(['tiny-c', 'tiny-a']);
    expect(backend.stats()).toMatchObject({ loads: 2, unloads: 0 });

    await call(backend, 'coder');
    // qa loaded first, so it is the least recently used
    expect(residentIds(backend)).toEqual(['tiny-a', 'tiny-b']);
    expect(backend.stats()).toMatchObject({ loads: 3, unloads: 1, evictions: 1 });

    const onDemand = backendFor({ budgetBytes: a + b + c, roles: { coder: { onDemand: true } } });
    await onDemand.load();
    expect(residentIds(onDemand)).toEqual(['tiny-a', 'tiny-c']);
    await call(onDemand, 'coder');
    expect(onDemand.stats()).toMatchObject({ loads: 3, unloads: 0 });
  });

  it('never evicts a pinned model', async () => {
    const backend = backendFor({ budgetBytes: twoFit(), roles: { brain: { pinned: true } } });
    await backend.load();
    expect(residentIds(backend)).toEqual(['tiny-a', 'tiny-b']);
    const pinned = backend.loaded('brain')!.model;
    for (const role of ['qa', 'coder', 'qa', 'coder', 'brain'] as const) await call(backend, role);

    // brain is the least recently used every time, yet coder and qa evict each other
    expect(backend.stats()).toMatchObject({ loads: 6, unloads: 4, evictions: 4 });
    expect(loadedIds(backend)).toEqual(['tiny-a', 'tiny-b', 'tiny-c', 'tiny-b', 'tiny-c', 'tiny-b']);
    expect(backend.loaded('brain')!.model).toBe(pinned);
    expect(pinned.disposed).toBe(false);
  });

  it('refuses a model larger than the budget up front, evicting nothing, however often it is asked for', async () => {
    const budgetBytes = a + b + Math.min(a, b) / 2;
    const backend = backendFor({ budgetBytes });
    await call(backend, 'brain');
    await call(backend, 'coder');
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await failure(call(backend, 'qa'));
      expect(error).toBeInstanceOf(ModelCannotFitError);
      expect(error).toMatchObject({ code: 'MODEL_CANNOT_FIT', context: { modelId: 'tiny-c', requiredBytes: c, budgetBytes } });
    }
    expect(backend.stats()).toMatchObject({ loads: 2, unloads: 0, evictions: 0 });
    expect(residentIds(backend)).toEqual(['tiny-a', 'tiny-b']);
    await call(backend, 'brain');
    expect(backend.stats().loads).toBe(2);

    // load() checks every model before loading any
    const fresh = backendFor({ budgetBytes });
    expect(await failure(fresh.load())).toBeInstanceOf(ModelCannotFitError);
    expect(fresh.stats()).toMatchObject({ loads: 0, resident: [] });

    // beside a pinned model, a model that fits the budget alone is refused too
    const besidePinned = backendFor({ budgetBytes: c + a / 2, roles: { brain: { pinned: true } } });
    const error = await failure(besidePinned.load());
    expect(error).toMatchObject({ code: 'MODEL_CANNOT_FIT', context: { modelId: 'tiny-c', pinned: [{ modelId: 'tiny-a', bytes: a }] } });
    expect(besidePinned.stats().loads).toBe(0);
  });

  it('keeps two models that fit resident across a 20-call sequence: one load each, no reload between tasks', async () => {
    const backend = backendFor({ budgetBytes: twoFit() });
    const brain = await call(backend, 'brain').then(() => backend.loaded('brain')!.model);
    for (let index = 1; index < 20; index++) await call(backend, index % 2 === 0 ? 'brain' : 'coder');

    expect(backend.stats()).toMatchObject({ loads: 2, unloads: 0, evictions: 0 });
    expect(loadedIds(backend)).toEqual(['tiny-a', 'tiny-b']);
    expect(backend.loaded('brain')!.model).toBe(brain);
  });

  it('waits for a busy model to be released instead of failing, and stops waiting when its signal aborts', async () => {
    // tiny-c fits alone, not beside tiny-a
    const backend = backendFor({ budgetBytes: c + a / 2 });
    const finished: string[] = [];
    const impatient = new AbortController();
    let abandoned!: Promise<unknown>;
    let chunks = 0;
    const brain = backend
      .generate(request('brain', { jsonSchema: essaySchema, maxTokens: 200 }), {
        onToken: () => {
          chunks++;
          // the essay runs to well over ten chunks, so brain holds tiny-a all the while qa waits
          if (chunks === 1) abandoned = failure(backend.generate(request('qa'), { signal: impatient.signal }));
          if (chunks === 10) impatient.abort();
        },
      })
      .then(() => finished.push('brain'));
    await vi.waitUntil(() => impatient.signal.aborted, { timeout: 10_000 });
    const error = await abandoned;
    expect(error).toBeInstanceOf(LlamaCallAbortedError);
    expect(error).toMatchObject({ context: { reason: 'signal' } });
    expect(finished).toEqual([]);

    const qa = call(backend, 'qa').then(() => finished.push('qa'));
    await Promise.all([brain, qa]);
    expect(finished).toEqual(['brain', 'qa']);
    expect(backend.stats()).toMatchObject({ loads: 2, unloads: 1, evictions: 1 });
    expect(residentIds(backend)).toEqual(['tiny-c']);
  });
});
