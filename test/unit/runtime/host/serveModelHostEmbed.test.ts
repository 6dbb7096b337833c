import { describe, expect, it } from 'vitest';
import { createBackendFromSpec } from '../../../../src/runtime/host/createBackendFromSpec.js';
import type { ChildTransport } from '../../../../src/runtime/host/createChildTransport.js';
import { rebuildHostedError } from '../../../../src/runtime/host/rebuildHostedError.js';
import { serveModelHost } from '../../../../src/runtime/host/serveModelHost.js';
import { toHostedError } from '../../../../src/runtime/host/toHostedError.js';
import { EmbeddingNotConfiguredError } from '../../../../src/runtime/llama/EmbeddingNotConfiguredError.js';
import { hostedErrorSchema, modelHostChildMessageSchema, type ModelHostChildMessage } from '../../../../src/shared/modelHostProtocol.js';
import { scriptedSpec } from '../../../utils/modelHostTestKit.js';

/** An in-memory channel: the test plays the parent. */
function memoryTransport() {
  const sent: ModelHostChildMessage[] = [];
  let deliver: (message: unknown) => void = () => {};
  const transport: ChildTransport = {
    send: (message) => sent.push(modelHostChildMessageSchema.parse(JSON.parse(JSON.stringify(message)))),
    onMessage: (listener) => (deliver = listener),
    onClose: () => {},
    close: async () => {},
  };
  return { transport, sent, deliver: (message: unknown) => deliver(message) };
}

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting for a message');
}

describe('serveModelHost embed', () => {
  it('answers embed on a backend without embed() with EMBEDDING_NOT_CONFIGURED, and rejects an empty text list', async () => {
    const { transport, sent, deliver } = memoryTransport();
    const served = serveModelHost({ transport, createBackend: (spec) => createBackendFromSpec({ spec }) });
    deliver({ type: 'init', spec: scriptedSpec() });
    await until(() => sent.find((message) => message.type === 'ready'));

    deliver({ type: 'embed', callId: 'e1', request: { texts: ['x'] } });
    const refused = await until(() => sent.find((message) => message.type === 'error' && message.callId === 'e1'));
    expect(refused).toMatchObject({ error: { code: 'EMBEDDING_NOT_CONFIGURED', context: { backend: 'scripted' } } });

    deliver({ type: 'embed', callId: 'e2', request: { texts: [] } });
    const invalid = await until(() => sent.find((message) => message.type === 'error' && message.callId === 'e2'));
    expect(invalid).toMatchObject({ error: { code: 'MODEL_HOST_INVALID_MESSAGE' } });

    deliver({ type: 'shutdown' });
    expect(await served).toEqual({ exitCode: 0 });
  });

  it('brings EmbeddingNotConfiguredError back as itself across the boundary', () => {
    const hosted = hostedErrorSchema.parse(JSON.parse(JSON.stringify(toHostedError({ error: new EmbeddingNotConfiguredError({ backend: 'scripted' }) }))));
    const rebuilt = rebuildHostedError({ error: hosted, role: 'embedding', promptId: 'embed(1)' });
    expect(rebuilt).toBeInstanceOf(EmbeddingNotConfiguredError);
    expect(rebuilt).toMatchObject({ code: 'EMBEDDING_NOT_CONFIGURED', context: { backend: 'scripted' } });
  });
});
