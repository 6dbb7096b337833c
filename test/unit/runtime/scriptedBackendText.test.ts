import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { JsonGenerateRequest } from '../../../src/shared/model/JsonGenerateRequest.js';
import { createScriptedModels } from '../../../src/runtime/scripted/createScriptedModels.js';
import { ModelCallAbortedError } from '../../../src/shared/model/ModelCallAbortedError.js';
import { ScriptExhaustedError } from '../../../src/runtime/scripted/ScriptExhaustedError.js';

function request(phase: 'green' | 'red'): JsonGenerateRequest {
  return {
    role: 'coder',
    promptId: `${phase}@1`,
    system: 'S'.repeat(8),
    user: 'U'.repeat(8),
    jsonSchema: z.toJSONSchema(z.object({ n: z.number() })) as Record<string, unknown>,
    meta: { taskId: 'T1', phase, attempt: 1 },
  };
}

describe('the scripted backend, called directly', () => {
  const script = { models: { coder: 'coder-x' }, tasks: { T1: { green: [{ n: 1, extra: ['kept'] }], red: [{ raw: '{"n": oops' }] } } };

  it('returns JSON answers as the scripted text, whatever the schema says, and streams them', async () => {
    const backend = createScriptedModels({ script });
    const tokens: string[] = [];
    const result = await backend.generate(request('green'), { onToken: (text) => tokens.push(text) });
    expect(JSON.parse(result.text)).toEqual({ n: 1, extra: ['kept'] });
    expect(tokens.join('')).toBe(result.text);
    expect(result).toMatchObject({ model: 'coder-x', backend: 'scripted' });
    expect(backend.describe('coder')).toEqual({ model: 'coder-x', backend: 'scripted' });
  });

  it('returns a raw answer that is not JSON as its literal text, for the caller to reject', async () => {
    const backend = createScriptedModels({ script });
    const result = await backend.generate(request('red'));
    expect(result.text).toBe('{"n": oops');
    expect(result).toMatchObject({ model: 'coder-x', backend: 'scripted', usage: { promptTokens: 4, outputTokens: 3 } });
    expect(result.usage.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it('passes the script’s other errors and cancellation through', async () => {
    const backend = createScriptedModels({ script, delayMs: 50 });
    await expect(backend.generate({ ...request('green'), meta: { taskId: 'T9', phase: 'green', attempt: 1 } })).rejects.toBeInstanceOf(ScriptExhaustedError);
    const controller = new AbortController();
    const call = backend.generate(request('green'), { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(ModelCallAbortedError);
  });
});
