import { getLlama } from 'node-llama-cpp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import type { JsonGenerateRequest } from '../../../../src/shared/model/JsonGenerateRequest.js';
import type { JsonModelBackend } from '../../../../src/shared/model/JsonModelBackend.js';
import { createModelHost } from '../../../../src/runtime/host/createModelHost.js';
import { createLlamaBackend } from '../../../../src/runtime/llama/createLlamaBackend.js';
import type { ModelBackendStats } from '../../../../src/shared/modelHostProtocol.js';
import type { ModelRole } from '../../../../src/shared/modelRole.js';
import { createResidencyGgufs } from '../../../fixtures/createResidencyGgufs.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { scriptedSpec } from '../../../utils/modelHostTestKit.js';

const answerSchema = z.toJSONSchema(z.object({ verdict: z.enum(['GO', 'NO_GO']) })) as Record<string, unknown>;

const request = (role: ModelRole): JsonGenerateRequest => ({
  role,
  promptId: `${role}@1`,
  system: 'Answer in JSON.',
  user: 'Is the change ready?',
  jsonSchema: answerSchema,
  meta: { taskId: 'T1', phase: 'review', attempt: 1 },
  seed: 1,
});

/** The figures that must agree wherever the backend runs. */
const counts = (stats: ModelBackendStats) => ({
  loads: stats.loads,
  unloads: stats.unloads,
  evictions: stats.evictions,
  budgetBytes: stats.budgetBytes,
  resident: stats.resident.map((model) => [model.modelId, model.estimatedBytes]),
  loaded: stats.loadRecords.map((record) => [record.modelId, record.estimatedBytes]),
});

describe('createModelHost with a llama spec and a budget', () => {
  it('swaps models by policy in the child and reports its loads, unloads and evictions through stats()', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    onTestFinished(() => llama.dispose());
    const { roles, estimates } = await createResidencyGgufs({ dir: makeTempDir('nightshift-host-residency-'), llama });
    // any two of the three models fit, all three do not
    const budgetBytes = estimates['tiny-a'] + estimates['tiny-b'] + estimates['tiny-c'] - estimates['tiny-a'] / 2;
    const sequence: ModelRole[] = ['qa', 'brain', 'coder', 'qa', 'qa'];
    const run = async (backend: JsonModelBackend) => {
      for (const role of sequence) await backend.generate(request(role));
    };

    const host = createModelHost({ spec: { kind: 'llama', roles, threads: 1, budgetBytes } });
    onTestFinished(() => host.dispose());
    await host.start();
    await run(host);
    const hosted = (await host.stats())?.backend;
    expect(hosted).toBeDefined();

    const local = createLlamaBackend({ llama, threads: 1, roles, budgetBytes });
    onTestFinished(() => local.dispose());
    await local.load();
    await run(local);

    // start: brain and coder; then qa evicts brain, brain evicts coder, coder evicts qa, qa evicts brain
    expect(counts(hosted!)).toEqual({
      loads: 6,
      unloads: 4,
      evictions: 4,
      budgetBytes,
      resident: [
        ['tiny-b', estimates['tiny-b']],
        ['tiny-c', estimates['tiny-c']],
      ],
      loaded: ['tiny-a', 'tiny-b', 'tiny-c', 'tiny-a', 'tiny-b', 'tiny-c'].map((modelId) => [modelId, estimates[modelId as keyof typeof estimates]]),
    });
    expect(counts(hosted!)).toEqual(counts(local.stats()));
    for (const record of hosted!.loadRecords) expect(record.measuredBytes).toBeGreaterThan(0);
  });

  it('leaves the backend figures out for a backend that keeps none', async () => {
    const host = createModelHost({ spec: scriptedSpec() });
    onTestFinished(() => host.dispose());
    await host.start();
    const stats = await host.stats();
    expect(stats).not.toBeNull();
    expect(stats).not.toHaveProperty('backend');
  });
});
