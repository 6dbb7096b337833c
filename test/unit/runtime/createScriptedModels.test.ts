import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ModelOutputError } from '../../../src/shared/model/ModelOutputError.js';
import type { ModelClient } from '../../../src/shared/model/ModelClient.js';
import type { ModelRequest } from '../../../src/shared/model/ModelRequest.js';
import { createScriptedModels } from '../../../src/runtime/scripted/createScriptedModels.js';
import { ModelCallAbortedError } from '../../../src/shared/model/ModelCallAbortedError.js';
import { ScriptExhaustedError } from '../../../src/runtime/scripted/ScriptExhaustedError.js';
import type { ScriptedScript } from '../../../src/runtime/scripted/scriptedScriptSchema.js';
import type { PhaseName } from '../../../src/shared/phaseName.js';
import { createModelClientFromBackend } from '../../../src/shared/model/createModelClientFromBackend.js';

const schema = z.object({ n: z.number().int(), tag: z.string().default('none') });

function request(phase: PhaseName, taskId = 'T1', extra: Partial<ModelRequest<z.infer<typeof schema>>> = {}): ModelRequest<z.infer<typeof schema>> {
  return {
    role: phase === 'plan' ? 'brain' : phase === 'review' ? 'qa' : 'coder',
    promptId: `${phase}@1`,
    system: 'S'.repeat(10),
    user: 'U'.repeat(7),
    schema,
    meta: { taskId, phase, attempt: 1 },
    ...extra,
  };
}

async function failure(models: ModelClient, req: ModelRequest<unknown>): Promise<unknown> {
  return models.generate(req).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** The scripted backend as the engine sees it: behind the one adapter that parses and validates. */
function scriptedClient(options: Parameters<typeof createScriptedModels>[0]): ModelClient {
  return createModelClientFromBackend({ backend: createScriptedModels(options) });
}

describe('createScriptedModels', () => {
  it('returns the n-th answer per task and phase, then repeats the last one', async () => {
    const script: ScriptedScript = { tasks: { T1: { green: [{ n: 1 }, { n: 2 }], red: [{ n: 10 }] }, T2: { green: [{ n: 20 }] } } };
    const models = scriptedClient({ script });
    const green = async (taskId = 'T1') => (await models.generate(request('green', taskId))).value.n;
    expect(await green()).toBe(1);
    expect((await models.generate(request('red'))).value.n).toBe(10);
    expect(await green('T2')).toBe(20);
    expect(await green()).toBe(2);
    expect(await green()).toBe(2);
    expect(await green()).toBe(2);
  });

  it('validates with the request schema, streams in chunks and reports usage', async () => {
    const models = scriptedClient({ script: { tasks: { T1: { plan: [{ n: 5 }] } } } });
    const tokens: string[] = [];
    const result = await models.generate(request('plan', 'T1', { onToken: (text) => tokens.push(text) }));
    expect(result.value).toEqual({ n: 5, tag: 'none' });
    expect(result.text).toBe(JSON.stringify({ n: 5 }, null, 2));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(result.text);
    expect(result).toMatchObject({ model: 'scripted-brain', backend: 'scripted' });
    expect(result.usage.promptTokens).toBe(Math.ceil(17 / 4));
    expect(result.usage.outputTokens).toBe(Math.ceil(result.text.length / 4));
    expect(result.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.usage.durationMs).toBeGreaterThanOrEqual(result.usage.timeToFirstTokenMs!);
  });

  it('measures time with delays between chunks', async () => {
    const models = scriptedClient({ script: { tasks: { T1: { plan: [{ n: 5 }] } } }, delayMs: 20 });
    const { usage } = await models.generate(request('plan'));
    expect(usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(15);
    expect(usage.durationMs).toBeGreaterThanOrEqual(60);
  });

  it('sends raw answers literally and turns unparsable or invalid output into ModelOutputError', async () => {
    const script: ScriptedScript = { tasks: { T1: { green: [{ raw: 'Sure! Here is the code: {' }, { n: 'seven' }, { raw: '{"n": 3}' }] } } };
    const models = scriptedClient({ script });
    const tokens: string[] = [];
    const notJson = await failure(models, request('green', 'T1', { onToken: (text) => tokens.push(text) }));
    expect(notJson).toBeInstanceOf(ModelOutputError);
    expect((notJson as ModelOutputError).message).toMatch(/^The coder model's output for green@1 is not valid: not JSON/);
    expect(tokens.join('')).toBe('Sure! Here is the code: {');

    const invalid = await failure(models, request('green'));
    expect(invalid).toBeInstanceOf(ModelOutputError);
    expect((invalid as ModelOutputError).context.issues).toMatch(/n/);
    expect((await models.generate(request('green'))).value.n).toBe(3);
  });

  it('falls back to defaults.review and names the task and phase when answers are missing', async () => {
    const models = scriptedClient({
      script: { tasks: { T1: { plan: [{ n: 1 }] } }, defaults: { review: [{ n: 99 }] } },
      scriptPath: '/tmp/demo.json',
    });
    expect((await models.generate(request('review', 'T7'))).value.n).toBe(99);
    const missing = await failure(models, request('red', 'T1'));
    expect(missing).toBeInstanceOf(ScriptExhaustedError);
    expect((missing as ScriptExhaustedError).message).toBe('The model script /tmp/demo.json has no answer for task T1, phase red.');
    expect((missing as ScriptExhaustedError).context).toMatchObject({ taskId: 'T1', phase: 'red' });
    expect(await failure(models, request('gates', 'T1'))).toBeInstanceOf(ScriptExhaustedError);
  });

  it('answers each attempt from its own entry, counting calls within the attempt, then the last entry repeats', async () => {
    const script: ScriptedScript = {
      tasks: {
        T1: {
          green: [{ n: 90 }],
          attempts: [{ plan: [{ n: 1 }], green: [{ n: 11 }, { n: 12 }] }, { green: [{ n: 21 }] }, { green: [{ n: 31 }, { n: 32 }] }],
        },
      },
      defaults: { review: [{ n: 99 }] },
    };
    const models = scriptedClient({ script });
    const answer = async (phase: PhaseName, attempt: number) => (await models.generate(request(phase, 'T1', { meta: { taskId: 'T1', phase, attempt } }))).value.n;
    expect(await answer('plan', 1)).toBe(1);
    expect(await answer('green', 1)).toBe(11);
    expect(await answer('green', 1)).toBe(12);
    expect(await answer('green', 1)).toBe(12);
    expect(await answer('green', 2)).toBe(21);
    expect(await answer('green', 3)).toBe(31);
    expect(await answer('green', 4), 'attempt 4 starts the last entry over').toBe(31);
    expect(await answer('green', 4)).toBe(32);
    expect(await answer('green', 3)).toBe(32);
    // A phase an entry leaves out: the task's own list (counted across attempts), then defaults.review.
    expect(await answer('review', 1)).toBe(99);
    const missing = await failure(models, request('plan', 'T1', { meta: { taskId: 'T1', phase: 'plan', attempt: 2 } }));
    expect(missing).toBeInstanceOf(ScriptExhaustedError);
  });

  it('falls back from an attempt entry to the task\'s own list for a phase the entry leaves out', async () => {
    const script: ScriptedScript = { tasks: { T1: { red: [{ n: 1 }, { n: 2 }], attempts: [{ green: [{ n: 10 }] }] } } };
    const models = scriptedClient({ script });
    const answer = async (phase: PhaseName, attempt: number) => (await models.generate(request(phase, 'T1', { meta: { taskId: 'T1', phase, attempt } }))).value.n;
    expect(await answer('red', 1)).toBe(1);
    expect(await answer('red', 2)).toBe(2);
    expect(await answer('green', 2)).toBe(10);
  });

  it('describes roles with the script model names', () => {
    const models = scriptedClient({ script: { models: { coder: 'qwen-sim' }, tasks: {} } });
    expect(models.describe('coder')).toEqual({ model: 'qwen-sim', backend: 'scripted' });
    expect(models.describe('qa')).toEqual({ model: 'scripted-qa', backend: 'scripted' });
  });

  it('stops streaming when the signal aborts, without consuming answers before the call starts', async () => {
    const models = scriptedClient({ script: { tasks: { T1: { green: [{ n: 1 }, { n: 2 }] } } }, delayMs: 30 });
    const controller = new AbortController();
    const tokens: string[] = [];
    const pending = failure(models, request('green', 'T1', { signal: controller.signal, onToken: (text) => tokens.push(text) }));
    setTimeout(() => controller.abort(), 45);
    const error = await pending;
    expect(error).toBeInstanceOf(ModelCallAbortedError);
    expect((error as Error).name).toBe('AbortError');
    expect((error as ModelCallAbortedError).code).toBe('MODEL_CALL_ABORTED');
    expect(tokens.length).toBe(1);

    expect(await failure(models, request('green', 'T1', { signal: controller.signal }))).toBeInstanceOf(ModelCallAbortedError);
    expect((await models.generate(request('green'))).value.n).toBe(2);
  });

  it('cancels calls in flight and refuses new ones once disposed', async () => {
    const models = scriptedClient({ script: { tasks: { T1: { green: [{ n: 1 }] } } }, delayMs: 1000 });
    const pending = failure(models, request('green'));
    await models.dispose();
    expect(await pending).toBeInstanceOf(ModelCallAbortedError);
    expect(await failure(models, request('green'))).toBeInstanceOf(ModelCallAbortedError);
  });
});
