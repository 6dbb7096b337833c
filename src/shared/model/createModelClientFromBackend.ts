import { z } from 'zod';
import type { JsonModelBackend } from './JsonModelBackend.js';
import type { ModelClient } from './ModelClient.js';
import { ModelOutputError } from './ModelOutputError.js';
import type { ModelRequest } from './ModelRequest.js';
import type { ModelResult } from './ModelResult.js';

/**
 * The engine's ModelClient over a JSON backend: the zod schema goes out as JSON Schema, and the text that
 * comes back is parsed and validated again, so a backend that ignores its grammar yields a typed,
 * retryable `ModelOutputError`, never a crash.
 */
export function createModelClientFromBackend(options: { backend: JsonModelBackend }): ModelClient {
  const { backend } = options;
  return {
    async generate<T>(request: ModelRequest<T>): Promise<ModelResult<T>> {
      const result = await backend.generate(
        {
          role: request.role,
          promptId: request.promptId,
          system: request.system,
          user: request.user,
          jsonSchema: z.toJSONSchema(request.schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
          meta: request.meta,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
        },
        {
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.onToken ? { onToken: request.onToken } : {}),
        },
      );
      let json: unknown;
      try {
        json = JSON.parse(result.text);
      } catch (error) {
        throw new ModelOutputError({ role: request.role, promptId: request.promptId, output: result.text, issues: `not JSON (${(error as Error).message})`, usage: result.usage, cause: error });
      }
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
        throw new ModelOutputError({ role: request.role, promptId: request.promptId, output: result.text, issues, usage: result.usage });
      }
      return { value: parsed.data, text: result.text, model: result.model, backend: result.backend, usage: result.usage };
    },
    describe: (role) => backend.describe(role),
    dispose: () => backend.dispose(),
  };
}
