import { tmpdir } from 'node:os';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelsFromSpec } from '../../../../src/runtime/models/createModelsFromSpec.js';
import { ModelsSpecError } from '../../../../src/runtime/models/ModelsSpecError.js';
import { ModelOutputError } from '../../../../src/shared/model/ModelOutputError.js';
import type { ModelClient } from '../../../../src/shared/model/ModelClient.js';
import type { ModelRequest } from '../../../../src/shared/model/ModelRequest.js';
import type { JsonGenerateRequest } from '../../../../src/shared/model/JsonGenerateRequest.js';
import type { JsonModelBackend } from '../../../../src/shared/model/JsonModelBackend.js';
import { createModelClientFromBackend } from '../../../../src/shared/model/createModelClientFromBackend.js';
import { createOpenAiBackend, type OpenAiRoleOptions } from '../../../../src/runtime/http/createOpenAiBackend.js';
import { createOpenAiServer, type OpenAiServer } from '../../../../src/runtime/http/createOpenAiServer.js';
import { generateServeToken } from '../../../../src/runtime/http/generateServeToken.js';
import { InvalidModelEndpointError } from '../../../../src/runtime/http/InvalidModelEndpointError.js';
import { ModelEndpointError } from '../../../../src/runtime/http/ModelEndpointError.js';
import { ModelEndpointTimeoutError } from '../../../../src/runtime/http/ModelEndpointTimeoutError.js';
import { ModelEndpointUnreachableError } from '../../../../src/runtime/http/ModelEndpointUnreachableError.js';
import { NonLoopbackHostError } from '../../../../src/runtime/http/NonLoopbackHostError.js';
import { ServeListenError } from '../../../../src/runtime/http/ServeListenError.js';
import { WeakServeTokenError } from '../../../../src/runtime/http/WeakServeTokenError.js';
import { createScriptedModels } from '../../../../src/runtime/scripted/createScriptedModels.js';
import { ModelCallAbortedError } from '../../../../src/shared/model/ModelCallAbortedError.js';
import type { ScriptedScript } from '../../../../src/runtime/scripted/scriptedScriptSchema.js';
import type { ModelRole } from '../../../../src/shared/modelRole.js';
import { planSchema, type Plan } from '../../../../src/shared/planSchema.js';

const plan: Plan = {
  restatement: 'Add a sum function.',
  testFile: 'test/sum.test.ts',
  targetFiles: ['src/sum.ts'],
  requiredImports: ["import { sum } from '../src/sum.js';"],
  definitionOfDone: [{ description: 'sum adds', command: 'npx vitest run test/sum.test.ts' }],
};

const script: ScriptedScript = {
  tasks: {
    T1: { plan: [plan] },
    T2: { plan: [{ raw: 'not json at all' }] },
    remote: { plan: [{ ok: true }] },
  },
};

const modelIds: Record<ModelRole, string> = { brain: 'scripted-brain', coder: 'scripted-coder', qa: 'scripted-qa' };

/** What the served backend was asked and how each call ended. */
interface Spy {
  requests: JsonGenerateRequest[];
  outcomes: Array<Promise<'resolved' | string>>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function startServer(options: { delayMs?: number; ids?: Record<ModelRole, string>; maxRequestBytes?: number } = {}): Promise<{ server: OpenAiServer; token: string; spy: Spy }> {
  const inner = createScriptedModels({ script, delayMs: options.delayMs ?? 0 });
  const spy: Spy = { requests: [], outcomes: [] };
  const backend: JsonModelBackend = {
    generate(request, callOptions) {
      spy.requests.push(request);
      const call = inner.generate(request, callOptions);
      spy.outcomes.push(call.then(() => 'resolved', (error: Error) => error.name));
      return call;
    },
    describe: (role) => inner.describe(role),
    dispose: () => inner.dispose(),
  };
  const token = generateServeToken();
  const server = await createOpenAiServer({
    backend,
    modelIds: options.ids ?? modelIds,
    token,
    ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
  });
  cleanups.push(async () => {
    await server.close();
    await backend.dispose();
  });
  return { server, token, spy };
}

function clientFor(server: OpenAiServer, role: Partial<OpenAiRoleOptions> & { apiKey?: string }, ids = modelIds): ModelClient {
  const roleOptions = (r: ModelRole): OpenAiRoleOptions => ({ baseUrl: server.url, model: ids[r], ...role });
  const client = createModelClientFromBackend({ backend: createOpenAiBackend({ roles: { brain: roleOptions('brain'), coder: roleOptions('coder'), qa: roleOptions('qa') } }) });
  cleanups.push(() => client.dispose());
  return client;
}

function planRequest(extra: Partial<ModelRequest<Plan>> = {}): ModelRequest<Plan> {
  return {
    role: 'brain',
    promptId: 'brain-plan@1',
    system: 'You plan.',
    user: 'Task T1: add sum.',
    schema: planSchema,
    meta: { taskId: 'T1', phase: 'plan', attempt: 1 },
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function post(server: OpenAiServer, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('createOpenAiBackend against createOpenAiServer', () => {
  it('round-trips a scripted answer through a zod schema, streaming tokens and the call meta', async () => {
    const { server, token, spy } = await startServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/v1`);
    const client = clientFor(server, { apiKey: token });
    const tokens: string[] = [];
    const result = await client.generate(planRequest({ seed: 7, temperature: 0.2, maxTokens: 900, onToken: (text) => tokens.push(text) }));

    expect(result.value).toEqual(plan);
    expect(result.text).toBe(JSON.stringify(plan, null, 2));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(result.text);
    expect(result).toMatchObject({ model: 'scripted-brain', backend: 'openai-http' });
    expect(client.describe('coder')).toEqual({ model: 'scripted-coder', backend: 'openai-http' });
    // Usage is the served backend's own count, which reached the client through include_usage.
    expect(result.usage.outputTokens).toBe(Math.ceil(result.text.length / 4));
    expect(result.usage.promptTokens).toBe(Math.ceil(('You plan.'.length + 'Task T1: add sum.'.length) / 4));
    expect(result.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.usage.durationMs).toBeGreaterThanOrEqual(result.usage.timeToFirstTokenMs!);

    expect(spy.requests).toEqual([
      {
        role: 'brain',
        promptId: 'brain-plan@1',
        system: 'You plan.',
        user: 'Task T1: add sum.',
        jsonSchema: z.toJSONSchema(planSchema, { io: 'output', unrepresentable: 'any' }),
        meta: { taskId: 'T1', phase: 'plan', attempt: 1 },
        temperature: 0.2,
        seed: 7,
        maxTokens: 900,
      },
    ]);
  });

  it('turns output that breaks the schema into the client\'s retryable ModelOutputError', async () => {
    const { server, token } = await startServer();
    const error = await failure(clientFor(server, { apiKey: token }).generate(planRequest({ meta: { taskId: 'T2', phase: 'plan', attempt: 1 } })));
    expect(error).toBeInstanceOf(ModelOutputError);
    expect((error as ModelOutputError).context.output).toBe('not json at all');
  });

  it('reports a backend failure inside the stream as ModelEndpointError', async () => {
    const { server, token } = await startServer();
    const error = await failure(clientFor(server, { apiKey: token }).generate(planRequest({ meta: { taskId: 'T9', phase: 'plan', attempt: 1 } })));
    expect(error).toBeInstanceOf(ModelEndpointError);
    expect((error as ModelEndpointError).message).toContain('SCRIPT_EXHAUSTED');
    expect((error as ModelEndpointError).message).toContain('task T9');
    // The server's NightshiftError comes along as data and is rebuilt as the cause.
    expect((error as ModelEndpointError).cause).toMatchObject({ name: 'ScriptExhaustedError', code: 'SCRIPT_EXHAUSTED', context: { taskId: 'T9' } });
  });

  it('refuses a missing or wrong token with 401, which the client reports as ModelEndpointError', async () => {
    const { server, token } = await startServer();
    for (const apiKey of [undefined, `${token}x`, token.slice(0, -1)]) {
      const error = await failure(clientFor(server, apiKey === undefined ? {} : { apiKey }).generate(planRequest()));
      expect(error).toBeInstanceOf(ModelEndpointError);
      expect((error as ModelEndpointError).status).toBe(401);
      expect((error as ModelEndpointError).hint).toContain('API key');
    }
    const response = await post(server, null, { model: 'scripted-brain', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ error: { message: expect.stringContaining('bearer token'), type: 'invalid_request_error', code: 'invalid_api_key', param: null } });
    const models = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer wrong' } });
    expect(models.status).toBe(401);
  });

  it('answers an unknown model with a 404 model_not_found error', async () => {
    const { server, token, spy } = await startServer();
    const error = await failure(clientFor(server, { apiKey: token, model: 'llama-70b' }).generate(planRequest()));
    expect(error).toBeInstanceOf(ModelEndpointError);
    expect((error as ModelEndpointError).status).toBe(404);
    expect((error as ModelEndpointError).message).toContain('model_not_found');
    expect((error as ModelEndpointError).message).toContain('scripted-brain, scripted-coder, scripted-qa');
    expect(spy.requests).toEqual([]);
  });

  it('cancels the served backend call when the client aborts', async () => {
    const { server, token, spy } = await startServer({ delayMs: 300 });
    const controller = new AbortController();
    const tokens: string[] = [];
    const call = clientFor(server, { apiKey: token }).generate(
      planRequest({
        signal: controller.signal,
        onToken: (text) => {
          tokens.push(text);
          controller.abort();
        },
      }),
    );
    const error = await failure(call);
    expect(error).toBeInstanceOf(ModelCallAbortedError);
    expect(tokens).toHaveLength(1);
    expect(spy.outcomes).toHaveLength(1);
    expect(await spy.outcomes[0]).toBe('AbortError');
  });

  it('stops a call that runs past the role timeout with ModelEndpointTimeoutError and cancels it on the server', async () => {
    const { server, token, spy } = await startServer({ delayMs: 500 });
    const error = await failure(clientFor(server, { apiKey: token, timeoutMs: 200 }).generate(planRequest()));
    expect(error).toBeInstanceOf(ModelEndpointTimeoutError);
    expect(await spy.outcomes[0]).toBe('AbortError');
  });

  it('works without streaming', async () => {
    const { server, token } = await startServer();
    const tokens: string[] = [];
    const result = await clientFor(server, { apiKey: token, stream: false }).generate(planRequest({ onToken: (text) => tokens.push(text) }));
    expect(result.value).toEqual(plan);
    expect(tokens).toEqual([result.text]);
    expect(result.usage.timeToFirstTokenMs).toBeNull();
    expect(result.usage.outputTokens).toBe(Math.ceil(result.text.length / 4));

    const response = await post(server, token, {
      model: 'scripted-brain',
      messages: [{ role: 'user', content: 'plan it' }],
      response_format: { type: 'json_schema', json_schema: { name: 'plan', schema: { type: 'object' }, strict: true } },
    }, { 'x-nightshift-task-id': 'T1', 'x-nightshift-phase': 'plan' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { object: string; model: string; choices: Array<{ message: { role: string; content: string }; finish_reason: string }>; usage: Record<string, number> };
    expect(body).toMatchObject({ object: 'chat.completion', model: 'scripted-brain' });
    expect(body.choices).toEqual([{ index: 0, message: { role: 'assistant', content: JSON.stringify(plan, null, 2) }, finish_reason: 'stop' }]);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens! + body.usage.completion_tokens!);
  });

  it('fails fast with ModelEndpointUnreachableError when nothing listens', async () => {
    const { server, token } = await startServer();
    const client = clientFor(server, { apiKey: token });
    await server.close();
    const started = performance.now();
    const error = await failure(client.generate(planRequest()));
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(error).toBeInstanceOf(ModelEndpointUnreachableError);
    expect((error as ModelEndpointUnreachableError).message).toContain('ECONNREFUSED');
    expect((error as ModelEndpointUnreachableError).message).toContain(`${server.url}/chat/completions`);
  });

  it('refuses a base URL that is not http(s) when the backend is created', () => {
    const role = { baseUrl: 'ftp://127.0.0.1/v1', model: 'm' };
    const good = { baseUrl: 'http://127.0.0.1:1/v1', model: 'm' };
    expect(() => createOpenAiBackend({ roles: { brain: good, coder: role, qa: good } })).toThrow(InvalidModelEndpointError);
  });

  it('uses the x-nightshift-role header to tell roles apart that share one model id', async () => {
    const ids: Record<ModelRole, string> = { brain: 'shared', coder: 'shared', qa: 'shared' };
    const { server, token, spy } = await startServer({ ids });
    const client = clientFor(server, { apiKey: token }, ids);
    const result = await client.generate({ ...planRequest(), role: 'qa', schema: z.unknown(), meta: { taskId: 'T1', phase: 'plan', attempt: 2 } });
    expect(result.value).toEqual(plan);
    expect(spy.requests.map((request) => [request.role, request.meta.attempt])).toEqual([['qa', 2]]);
    const models = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(['shared']);
  });
});

describe('createOpenAiServer', () => {
  it('lists the served model ids on GET /v1/models', async () => {
    const { server, token } = await startServer();
    const response = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: Array<{ id: string; object: string }> };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => [model.id, model.object])).toEqual([
      ['scripted-brain', 'model'],
      ['scripted-coder', 'model'],
      ['scripted-qa', 'model'],
    ]);
  });

  it('maps a plain OpenAI request: system and user messages, permissive schema, role-default meta', async () => {
    const { server, token, spy } = await startServer();
    const response = await post(server, token, {
      model: 'scripted-brain',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Plan ' }, { type: 'text', text: 'it.' }] },
      ],
      top_p: 0.9,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }> });
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    // No stream_options.include_usage: no usage chunk.
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]!.delta.content ?? '').join('')).toBe(JSON.stringify({ ok: true }, null, 2));
    expect(spy.requests).toEqual([
      { role: 'brain', promptId: 'openai-http', system: 'Be brief.', user: 'Plan it.', jsonSchema: {}, meta: { taskId: 'remote', phase: 'plan', attempt: 1 } },
    ]);

    const failed = await post(server, token, { model: 'scripted-qa', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], response_format: { type: 'json_object' } });
    expect(spy.requests[1]).toMatchObject({ role: 'qa', user: 'user: a\n\nassistant: b', jsonSchema: { type: 'object' }, meta: { taskId: 'remote', phase: 'review' } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({
      error: {
        message: expect.stringContaining('no answer for task remote, phase review'),
        type: 'server_error',
        code: 'SCRIPT_EXHAUSTED',
        param: null,
        nightshift: expect.objectContaining({ name: 'ScriptExhaustedError', code: 'SCRIPT_EXHAUSTED', context: expect.objectContaining({ taskId: 'remote', phase: 'review' }) }),
      },
    });
  });

  it('answers bad requests in OpenAI\'s error shape', async () => {
    const { server, token, spy } = await startServer({ maxRequestBytes: 1024 });
    const cases: Array<[Response, number, string]> = [
      [await post(server, token, '{nope'), 400, 'invalid_json'],
      [await post(server, token, { model: 'scripted-brain' }), 400, 'invalid_request'],
      [await post(server, token, { model: 'scripted-brain', messages: [{ role: 'user', content: 'x'.repeat(2000) }] }), 413, 'request_too_large'],
      [await post(server, token, { model: 'scripted-brain', messages: [{ role: 'user', content: 'x' }] }, { 'x-nightshift-phase': 'lunch' }), 400, 'invalid_header'],
      [await fetch(`${server.url}/chat/completions`, { headers: { authorization: `Bearer ${token}` } }), 405, 'method_not_allowed'],
      [await fetch(`${server.url}/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), 404, 'not_found'],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = (await response.json()) as { error: { message: string; type: string; code: string } };
      expect(body.error).toMatchObject({ type: 'invalid_request_error', code });
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    expect(spy.requests).toEqual([]);
  });

  it('listens only on loopback, with a strong token and a free port', async () => {
    const backend = createScriptedModels({ script });
    const token = generateServeToken();
    expect(token).toMatch(/^ns-[A-Za-z0-9_-]{43}$/);
    expect(generateServeToken()).not.toBe(token);
    for (const host of ['0.0.0.0', '192.168.1.20', '::', 'localhost']) {
      await expect(createOpenAiServer({ backend, modelIds, token, host })).rejects.toBeInstanceOf(NonLoopbackHostError);
    }
    await expect(createOpenAiServer({ backend, modelIds, token: 'short' })).rejects.toBeInstanceOf(WeakServeTokenError);

    const { server } = await startServer();
    await expect(createOpenAiServer({ backend, modelIds, token, port: server.port })).rejects.toBeInstanceOf(ServeListenError);

    const v6 = await createOpenAiServer({ backend, modelIds, token, host: '::1' }).catch((error: unknown) => error);
    if (v6 instanceof ServeListenError) return; // No IPv6 loopback on this machine.
    const served = v6 as OpenAiServer;
    cleanups.push(() => served.close());
    expect(served.url).toBe(`http://[::1]:${served.port}/v1`);
    expect((await fetch(`${served.url}/models`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('closes with calls in flight, cancelling them', async () => {
    const { server, token, spy } = await startServer({ delayMs: 1_000 });
    const call = failure(clientFor(server, { apiKey: token }).generate(planRequest()));
    await waitFor(() => spy.outcomes.length === 1);
    await server.close();
    expect(await spy.outcomes[0]).toBe('AbortError');
    expect(await call).toBeInstanceOf(ModelEndpointUnreachableError);
  });
});

describe('createModelsFromSpec openai:', () => {
  it('sends every role to one model on the endpoint, with the key from NIGHTSHIFT_OPENAI_API_KEY', async () => {
    const ids: Record<ModelRole, string> = { brain: 'one', coder: 'one', qa: 'one' };
    const { server, token, spy } = await startServer({ ids });
    const client = await createModelsFromSpec({ spec: `openai:${server.url}#one`, cwd: '/', dataDir: tmpdir(), env: { NIGHTSHIFT_OPENAI_API_KEY: token } });
    cleanups.push(() => client.dispose());
    expect((await client.generate(planRequest())).value).toEqual(plan);
    expect(client.describe('qa')).toEqual({ model: 'one', backend: 'openai-http' });
    expect(spy.requests[0]!.role).toBe('brain');

    const keyless = await createModelsFromSpec({ spec: `openai:${server.url}#one`, cwd: '/', dataDir: tmpdir(), env: {} });
    cleanups.push(() => keyless.dispose());
    expect(((await failure(keyless.generate(planRequest()))) as ModelEndpointError).status).toBe(401);

    for (const spec of ['openai:', `openai:${server.url}`, `openai:${server.url}#`, 'openai:file:///tmp#m']) {
      await expect(createModelsFromSpec({ spec, cwd: '/', dataDir: tmpdir(), env: {} })).rejects.toBeInstanceOf(ModelsSpecError);
    }
  });
});

/** Resolves once `check` holds, polling every 10 ms for up to 5 s. */
async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

