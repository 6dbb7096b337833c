import { z } from 'zod';
import { ModelOutputError } from '../../engine/models/ModelOutputError.js';
import type { ModelClient } from '../../engine/ports/ModelClient.js';
import type { JsonModelBackend } from '../backend/JsonModelBackend.js';

const CHARS_PER_TOKEN = 4;

/**
 * A JsonModelBackend over a scripted ModelClient (createScriptedModels / loadScriptedModels), so the
 * scripted answers can run behind the model host like a real backend. It asks for any JSON and hands
 * back the scripted text untouched: a `{ raw }` answer that is not JSON comes back as that text, for the
 * caller's own validation to reject, just as a real model's bad output would.
 */
export function createScriptedJsonBackend(options: {
  /** A scripted client: it streams each answer's whole text through onToken before parsing it. */
  models: ModelClient;
}): JsonModelBackend {
  const { models } = options;
  return {
    async generate(request, callOptions) {
      const started = performance.now();
      let streamed = '';
      let firstTokenAt: number | null = null;
      try {
        const result = await models.generate({
          ...request,
          schema: z.unknown(),
          ...(callOptions?.signal ? { signal: callOptions.signal } : {}),
          onToken: (text) => {
            firstTokenAt ??= performance.now();
            streamed += text;
            callOptions?.onToken?.(text);
          },
        });
        return { text: result.text, model: result.model, backend: result.backend, usage: result.usage };
      } catch (error) {
        // With a permissive schema the only output error left is text that is not JSON at all.
        if (!(error instanceof ModelOutputError)) throw error;
        return {
          text: streamed,
          ...models.describe(request.role),
          usage: {
            promptTokens: Math.ceil((request.system.length + request.user.length) / CHARS_PER_TOKEN),
            outputTokens: Math.ceil(streamed.length / CHARS_PER_TOKEN),
            durationMs: Math.round(performance.now() - started),
            timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - started),
          },
        };
      }
    },
    describe: (role) => models.describe(role),
    dispose: () => models.dispose(),
  };
}
