import { z } from 'zod';
import type { ModelRole } from '../../shared/modelRole.js';
import { modelRoleSchema } from '../../shared/modelRole.js';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { JsonGenerateResult } from '../../shared/model/JsonGenerateResult.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { ModelCallAbortedError } from '../../shared/model/ModelCallAbortedError.js';
import { InvalidModelEndpointError } from './InvalidModelEndpointError.js';
import { ModelEndpointError } from './ModelEndpointError.js';
import { ModelEndpointTimeoutError } from './ModelEndpointTimeoutError.js';
import { ModelEndpointUnreachableError } from './ModelEndpointUnreachableError.js';
import { nightshiftHeaders } from './nightshiftHeaders.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import { nightshiftErrorDataSchema } from '../../shared/nightshiftErrorDataSchema.js';

/** Where and how one role's model is reached. */
export interface OpenAiRoleOptions {
  /** The server's OpenAI base URL, up to and including `/v1`, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** The model name the server knows, sent as `model`. */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Default: no Authorization header. */
  apiKey?: string;
  /** Sampling temperature when the request gives none. Default: the server's. */
  temperature?: number;
  /** Maximum output tokens when the request gives none. Default: the server's. */
  maxTokens?: number;
  /** Wall-clock limit of one call in milliseconds, streaming included. Default 600000. */
  timeoutMs?: number;
  /**
   * Stream the completion as server-sent events. Default true. Without streaming there is no time to
   * first token, and calls that take longer than Node's fetch header timeout (300 s) fail.
   */
  stream?: boolean;
}

const DEFAULT_TIMEOUT_MS = 600_000;
/** Rough characters per token, for usage when the server reports none. */
const CHARS_PER_TOKEN = 4;

const usageSchema = z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).loose();

const chunkSchema = z
  .object({
    choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).loose().nullish() }).loose()).nullish(),
    usage: usageSchema.nullish(),
    error: z.unknown().optional(),
  })
  .loose();

const completionSchema = z
  .object({
    choices: z.array(z.object({ message: z.object({ content: z.string() }).loose() }).loose()).min(1),
    usage: usageSchema.nullish(),
  })
  .loose();

interface Completion {
  text: string;
  usage: { promptTokens: number; outputTokens: number } | null;
  /** `performance.now()` of the first non-empty content; null without streaming. */
  firstTokenAt: number | null;
}

/**
 * A JsonModelBackend over any OpenAI-compatible server (Ollama, llama-server, LM Studio, vLLM,
 * `nightshift models serve`), one endpoint and model per role. Output is constrained with
 * `response_format: json_schema` and streamed to `onToken`; the call's meta travels in
 * `x-nightshift-*` headers (see nightshiftHeaders). Throws ModelEndpointError when the server answers
 * with an error, ModelEndpointUnreachableError at once when nothing answers, ModelEndpointTimeoutError
 * past the role's `timeoutMs`, and ModelCallAbortedError when the signal aborts or the backend is
 * disposed. Throws InvalidModelEndpointError at creation for a base URL that is not http(s).
 */
export function createOpenAiBackend(options: {
  /** Endpoint and model for each role; roles may share one endpoint and model. */
  roles: Record<ModelRole, OpenAiRoleOptions>;
  /** The fetch used for every call. Default: the global fetch. */
  fetch?: typeof fetch;
}): JsonModelBackend {
  const fetchImpl = options.fetch ?? fetch;
  for (const role of modelRoleSchema.options) {
    const { baseUrl } = options.roles[role];
    if (!URL.canParse(baseUrl) || !['http:', 'https:'].includes(new URL(baseUrl).protocol)) {
      throw new InvalidModelEndpointError({ role, baseUrl });
    }
  }
  const disposed = new AbortController();

  return {
    async generate(request, callOptions = {}): Promise<JsonGenerateResult> {
      const role = options.roles[request.role];
      const url = `${role.baseUrl.replace(/\/+$/, '')}/chat/completions`;
      const timeoutMs = role.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([disposed.signal, timeout, ...(callOptions.signal ? [callOptions.signal] : [])]);
      const stopped = () =>
        callOptions.signal?.aborted || disposed.signal.aborted
          ? new ModelCallAbortedError({ role: request.role, promptId: request.promptId })
          : new ModelEndpointTimeoutError({ url, model: role.model, timeoutMs });
      if (signal.aborted) throw stopped();

      const started = performance.now();
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: 'POST',
          headers: requestHeaders(request, role.apiKey),
          body: JSON.stringify(requestBody(request, role)),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw stopped();
        throw new ModelEndpointUnreachableError({ url, reason: reasonOf(error), cause: error });
      }

      let completion: Completion;
      try {
        if (!response.ok) {
          const body = await response.text();
          throw new ModelEndpointError({ url, model: role.model, status: response.status, body, cause: remoteErrorIn(errorMemberOf(body)) });
        }
        const eventStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
        const context = { url, model: role.model, status: response.status };
        completion = eventStream
          ? await readEventStream({ response, context, ...(callOptions.onToken ? { onToken: callOptions.onToken } : {}) })
          : await readCompletion({ response, context });
        if (!eventStream) callOptions.onToken?.(completion.text);
      } catch (error) {
        if (signal.aborted) throw stopped();
        if (error instanceof ModelEndpointError) throw error;
        throw new ModelEndpointUnreachableError({ url, reason: `the connection broke mid-response: ${reasonOf(error)}`, cause: error });
      }

      const { text } = completion;
      return {
        text,
        model: role.model,
        backend: 'openai-http',
        usage: {
          promptTokens: completion.usage?.promptTokens ?? Math.ceil((request.system.length + request.user.length) / CHARS_PER_TOKEN),
          outputTokens: completion.usage?.outputTokens ?? Math.ceil(text.length / CHARS_PER_TOKEN),
          durationMs: Math.round(performance.now() - started),
          timeToFirstTokenMs: completion.firstTokenAt === null ? null : Math.round(completion.firstTokenAt - started),
        },
      };
    },

    describe: (role) => ({ model: options.roles[role].model, backend: 'openai-http' }),

    async dispose() {
      disposed.abort();
    },
  };
}

function requestHeaders(request: JsonGenerateRequest, apiKey: string | undefined): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'text/event-stream, application/json',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    [nightshiftHeaders.role]: request.role,
    [nightshiftHeaders.promptId]: encodeURIComponent(request.promptId),
    [nightshiftHeaders.taskId]: encodeURIComponent(request.meta.taskId),
    [nightshiftHeaders.phase]: request.meta.phase,
    [nightshiftHeaders.attempt]: String(request.meta.attempt),
  };
}

function requestBody(request: JsonGenerateRequest, role: OpenAiRoleOptions): Record<string, unknown> {
  const stream = role.stream ?? true;
  const temperature = request.temperature ?? role.temperature;
  const maxTokens = request.maxTokens ?? role.maxTokens;
  return {
    model: role.model,
    messages: [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ],
    response_format: { type: 'json_schema', json_schema: { name: schemaName(request.promptId), schema: request.jsonSchema, strict: true } },
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    ...(temperature === undefined ? {} : { temperature }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  };
}

/** OpenAI allows only `[A-Za-z0-9_-]{1,64}` as a schema name; prompt ids contain `@`. */
/** The NightshiftError a Nightshift server sends beside OpenAI's error fields (`error.nightshift`), rebuilt; undefined for any other error. */
function remoteErrorIn(error: unknown): Error | undefined {
  const data = nightshiftErrorDataSchema.safeParse((error as { nightshift?: unknown } | null | undefined)?.nightshift);
  return data.success ? NightshiftError.fromJSON({ data: data.data }) : undefined;
}

/** The `error` member of a JSON error body; undefined when the body is not JSON. */
function errorMemberOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { error?: unknown } | null)?.error;
  } catch {
    return undefined;
  }
}

function schemaName(promptId: string): string {
  return promptId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
}

interface ResponseContext {
  url: string;
  model: string;
  status: number;
}

async function readCompletion(options: { response: Response; context: ResponseContext }): Promise<Completion> {
  const body = await options.response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ModelEndpointError({ ...options.context, body: `not JSON: ${body}`, cause: error });
  }
  const parsed = completionSchema.safeParse(json);
  if (!parsed.success) throw new ModelEndpointError({ ...options.context, body: `not a chat completion: ${body}` });
  const usage = parsed.data.usage;
  return {
    text: parsed.data.choices[0]!.message.content,
    usage: usage ? { promptTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : null,
    firstTokenAt: null,
  };
}

async function readEventStream(options: { response: Response; context: ResponseContext; onToken?: (text: string) => void }): Promise<Completion> {
  let text = '';
  let usage: Completion['usage'] = null;
  let firstTokenAt: number | null = null;
  for await (const data of serverSentEvents(options.response)) {
    if (data === '[DONE]') break;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (error) {
      throw new ModelEndpointError({ ...options.context, body: `stream event is not JSON: ${data}`, cause: error });
    }
    const parsed = chunkSchema.safeParse(json);
    if (!parsed.success) throw new ModelEndpointError({ ...options.context, body: `stream event is not a completion chunk: ${data}` });
    const chunk = parsed.data;
    if (chunk.error !== undefined) {
      throw new ModelEndpointError({ ...options.context, body: JSON.stringify(chunk.error), cause: remoteErrorIn(chunk.error) });
    }
    const content = chunk.choices?.[0]?.delta?.content;
    if (content) {
      firstTokenAt ??= performance.now();
      text += content;
      options.onToken?.(content);
    }
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
  }
  return { text, usage, firstTokenAt };
}

/** The `data` of each server-sent event, multi-line data joined with newlines as the SSE format says. */
async function* serverSentEvents(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split('\n');
      buffer = done ? '' : lines.pop()!;
      for (const rawLine of lines) {
        const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      if (done) break;
    }
    if (data.length > 0) yield data.join('\n');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The system's reason for a failed fetch: undici hides it in `cause` (`ECONNREFUSED`, `ENOTFOUND`). */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
