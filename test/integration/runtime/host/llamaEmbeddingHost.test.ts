import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createModelHost } from '../../../../src/runtime/host/createModelHost.js';
import { ModelHostCrashedError } from '../../../../src/runtime/host/ModelHostCrashedError.js';
import { EmbeddingNotConfiguredError } from '../../../../src/runtime/llama/EmbeddingNotConfiguredError.js';
import { ModelCallAbortedError } from '../../../../src/shared/model/ModelCallAbortedError.js';
import type { BackendSpec } from '../../../../src/shared/modelHostProtocol.js';
import { createTinyGguf } from '../../../fixtures/createTinyGguf.js';
import { makeTempDir } from '../../../utils/makeTempDir.js';
import { rejectionOf, scriptedSpec } from '../../../utils/modelHostTestKit.js';

const role = (modelPath: string, modelId: string) => ({ modelPath, modelId, contextSize: 256, gpuLayers: 0 });

/** A llama spec whose three roles and embedding all use one tiny GGUF. */
function sharedSpec(withEmbedding: boolean): BackendSpec {
  const model = createTinyGguf({ path: join(makeTempDir('nightshift-host-embed-'), 'tiny.gguf'), name: 'tiny-embed' }).path;
  return {
    kind: 'llama',
    roles: { brain: role(model, 'tiny'), coder: role(model, 'tiny'), qa: role(model, 'tiny') },
    ...(withEmbedding ? { embedding: role(model, 'tiny') } : {}),
    threads: 1,
  };
}

const manyTexts = Array.from({ length: 400 }, (_, index) => `text number ${index}`);

describe('ModelHost.embed', () => {
  it('embeds in the child, on the model the roles share, loaded once', async () => {
    const host = createModelHost({ spec: sharedSpec(true) });
    onTestFinished(() => host.dispose());
    const result = await host.embed({ texts: ['alpha', 'beta', 'alpha'] });
    expect(result.model).toBe('tiny');
    expect(result.vectors.map((vector) => vector.length)).toEqual([64, 64, 64]);
    expect(result.vectors[2]).toEqual(result.vectors[0]);
    expect(result.vectors[1]).not.toEqual(result.vectors[0]);
    expect(result.usage.promptTokens).toBeGreaterThan(0);

    const stats = await host.stats();
    expect(stats?.completedCalls).toBe(1);
    expect(stats?.backend?.loads).toBe(1);
    expect(stats?.backend?.resident[0]).toMatchObject({ roles: ['brain', 'coder', 'qa'], servesEmbedding: true });
  });

  it('refuses with EmbeddingNotConfiguredError, starting no process, when the spec has no embedding model', async () => {
    for (const spec of [sharedSpec(false), scriptedSpec()]) {
      const host = createModelHost({ spec });
      onTestFinished(() => host.dispose());
      const error = await rejectionOf(host.embed({ texts: ['x'] }));
      expect(error).toBeInstanceOf(EmbeddingNotConfiguredError);
      expect(error).toMatchObject({ code: 'EMBEDDING_NOT_CONFIGURED' });
      expect(host.pid()).toBeNull();
    }
  });

  it('rejects an aborted call at once and serves the next one from the same process', async () => {
    const host = createModelHost({ spec: sharedSpec(true) });
    onTestFinished(() => host.dispose());
    await host.start();
    const pid = host.pid();
    const controller = new AbortController();
    const call = rejectionOf(host.embed({ texts: manyTexts, signal: controller.signal }));
    controller.abort();
    expect(await call).toBeInstanceOf(ModelCallAbortedError);
    expect((await host.embed({ texts: ['after'] })).vectors).toHaveLength(1);
    expect(host.pid()).toBe(pid);
    expect(await rejectionOf(host.embed({ texts: ['x'], signal: AbortSignal.abort() }))).toBeInstanceOf(ModelCallAbortedError);
  });

  it('fails a call the process takes down with ModelHostCrashedError, then restarts for the next', async () => {
    const host = createModelHost({ spec: sharedSpec(true) });
    onTestFinished(() => host.dispose());
    await host.start();
    const call = rejectionOf(host.embed({ texts: manyTexts }));
    process.kill(host.pid()!, 'SIGKILL');
    const error = await call;
    expect(error).toBeInstanceOf(ModelHostCrashedError);
    expect(error).toMatchObject({ context: { role: 'embedding', signal: 'SIGKILL' } });
    expect((await host.embed({ texts: ['again'] })).vectors[0]).toHaveLength(64);
    expect(host.restarts()).toBe(1);
  });
});
