import { z } from 'zod';
import { ModelOutputError } from '../../engine/models/ModelOutputError.js';
import type { ModelClient } from '../../engine/ports/ModelClient.js';
import type { JsonModelBackend } from '../backend/JsonModelBackend.js';

/** Rough characters per token, for usage when the client's call failed validation. */
const CHARS_PER_TOKEN = 4;

/**
 * A JsonModelBackend over a ModelClient (e.g. the scripted one), so `nightshift models serve` can serve
 * it. The client is asked for any JSON, and output it rejects as invalid is still handed back as text
 * (what it streamed, else the output its ModelOutputError carries): a JsonModelBackend leaves validation
 * to its caller, which across HTTP is the remote client that turns it into its own retryable
 * ModelOutputError. The JSON Schema is not enforced here; the client's own
 * behaviour decides the text. Disposing the backend disposes the client.
 */
export function createJsonBackendFromModelClient(options: {
  /** The client that answers; owned by the backend from now on. */
  client: ModelClient;
}): JsonModelBackend {
  const { client } = options;
  return {
    async generate(request, callOptions = {}) {
      const started = performance.now();
      let streamed = '';
      try {
        const result = await client.generate({
          role: request.role,
          promptId: request.promptId,
          system: request.system,
          user: request.user,
          schema: z.unknown(),
          meta: request.meta,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
          onToken: (text) => {
            streamed += text;
            callOptions.onToken?.(text);
          },
        });
        return { text: result.text, model: result.model, backend: result.backend, usage: result.usage };
      } catch (error) {
        if (!(error instanceof ModelOutputError)) throw error;
        return {
          text: streamed || String(error.context.output ?? ''),
          ...client.describe(request.role),
          usage: {
            promptTokens: Math.ceil((request.system.length + request.user.length) / CHARS_PER_TOKEN),
            outputTokens: Math.ceil(streamed.length / CHARS_PER_TOKEN),
            durationMs: Math.round(performance.now() - started),
            timeToFirstTokenMs: null,
          },
        };
      }
    },
    describe: (role) => client.describe(role),
    dispose: () => client.dispose(),
  };
}
