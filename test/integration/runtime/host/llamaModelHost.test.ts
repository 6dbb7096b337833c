import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { createModelClientFromBackend } from '../../../../src/shared/model/createModelClientFromBackend.js';
import { createModelHost } from '../../../../src/runtime/host/createModelHost.js';
import { ModelHostRemoteError } from '../../../../src/runtime/host/ModelHostRemoteError.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { processExists, rejectionOf } from '../../../utils/modelHostTestKit.js';

const verdictSchema = z.object({ verdict: z.enum(['GO', 'NO_GO']), confident: z.boolean() });

const role = (modelPath: string, modelId: string) => ({ modelPath, modelId, contextSize: 512, gpuLayers: 0, maxTokens: 100 });

describe('createModelHost with a llama spec', () => {
  it('loads the GGUF models in the child before ready and answers under the schema', async () => {
    const dir = makeTempDir('nightshift-host-llama-');
    const model = createTinyGguf({ path: join(dir, 'tiny.gguf'), name: 'tiny-host' }).path;
    const host = createModelHost({ spec: { kind: 'llama', roles: { brain: role(model, 'tiny'), coder: role(model, 'tiny'), qa: role(model, 'tiny') }, threads: 2 } });
    onTestFinished(() => host.dispose());
    await host.start();
    expect(host.describe('qa')).toEqual({ model: 'tiny', backend: 'llama.cpp' });

    const client = createModelClientFromBackend({ backend: host });
    const tokens: string[] = [];
    const result = await client.generate({
      role: 'qa',
      promptId: 'review@1',
      system: 'You review changes and answer in JSON.',
      user: 'Review the change.',
      schema: verdictSchema,
      meta: { taskId: 'T1', phase: 'review', attempt: 1 },
      seed: 1,
      onToken: (text) => tokens.push(text),
    });
    expect(verdictSchema.parse(result.value)).toEqual(result.value);
    expect(tokens.join('')).toBe(result.text);
    expect(result).toMatchObject({ model: 'tiny', backend: 'llama.cpp' });
    expect(result.usage.outputTokens).toBeGreaterThan(0);

    // node-llama-cpp lives in the child only: the model's memory is counted there.
    const stats = await host.stats();
    expect(stats?.completedCalls).toBe(1);
    const pid = host.pid()!;
    await host.dispose();
    expect(processExists(pid)).toBe(false);
  });

  it('fails the start with the backend’s own error when a model file cannot be loaded', async () => {
    const missing = join(makeTempDir('nightshift-host-llama-'), 'missing.gguf');
    const host = createModelHost({ spec: { kind: 'llama', roles: { brain: role(missing, 'm'), coder: role(missing, 'm'), qa: role(missing, 'm') } } });
    onTestFinished(() => host.dispose());
    const error = await rejectionOf(host.start());
    expect(error).toBeInstanceOf(ModelHostRemoteError);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED', context: { modelPath: missing, step: 'open', remoteName: 'LlamaModelLoadError' } });
  });
});
