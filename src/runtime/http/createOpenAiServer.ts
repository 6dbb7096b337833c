import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import type { ModelCallMeta } from '../../shared/model/ModelCallMeta.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { NightshiftErrorData } from '../../shared/NightshiftErrorData.js';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import { phaseNameSchema, type PhaseName } from '../../shared/phaseName.js';
import type { JsonGenerateRequest } from '../../shared/model/JsonGenerateRequest.js';
import type { JsonGenerateResult } from '../../shared/model/JsonGenerateResult.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { nightshiftHeaders } from './nightshiftHeaders.js';
import { NonLoopbackHostError } from './NonLoopbackHostError.js';
import { ServeListenError } from './ServeListenError.js';
import { WeakServeTokenError } from './WeakServeTokenError.js';

/** A running OpenAI-compatible server. */
export interface OpenAiServer {
  /** Base URL to give OpenAI clients, ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** Stops listening, cancels calls in flight and drops open connections. The backend stays open. */
  close(): Promise<void>;
  /** The same as close. */
  dispose(): Promise<void>;
}

const MIN_TOKEN_LENGTH = 16;
const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** SSE comment interval while a stream waits for tokens, so proxies and fetch's body timeout see traffic. */
const KEEP_ALIVE_MS = 15_000;
/** Without the meta headers, a request's phase is the one its role usually plays. */
const DEFAULT_PHASE: Record<ModelRole, PhaseName> = { brain: 'plan', coder: 'green', qa: 'review' };
const DEFAULT_TASK_ID = 'remote';
const DEFAULT_PROMPT_ID = 'openai-http';

const contentSchema = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()), z.null()]);

const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(z.object({ role: z.string(), content: contentSchema.optional() }).loose()).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
    temperature: z.number().min(0).nullish(),
    seed: z.number().int().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    response_format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }).loose(),
        z.object({ type: z.literal('json_object') }).loose(),
        z
          .object({
            type: z.literal('json_schema'),
            json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional() }).loose(),
          })
          .loose(),
      ])
      .nullish(),
  })
  .loose();

type ChatRequest = z.infer<typeof chatRequestSchema>;

/** A failure answered in OpenAI's error shape, plus the NightshiftError behind it (`nightshift`) when there is one. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly nightshift: NightshiftErrorData | null = null,
  ) {
    super(message);
  }
}

/**
 * Serves a JsonModelBackend as an OpenAI-compatible endpoint on a loopback address: `GET /v1/models`
 * and `POST /v1/chat/completions`, streaming (server-sent events) or not. A request's `model` picks the
 * role through `modelIds` (when roles share an id, the `x-nightshift-role` header chooses among them,
 * else the first of brain, coder, qa); `response_format.json_schema.schema` becomes the backend's
 * jsonSchema (`json_object`: any object; none: any JSON). System and developer messages form the system
 * prompt, the rest the user prompt. The call's meta comes from the `x-nightshift-*` headers that
 * createOpenAiBackend sends, defaulting to task `remote`, the role's usual phase and attempt 1. Every
 * request needs `Authorization: Bearer <token>`. A client that disconnects cancels its backend call.
 * Throws NonLoopbackHostError for other hosts, WeakServeTokenError for a short token and
 * ServeListenError when the port cannot be bound.
 */
export async function createOpenAiServer(options: {
  /** Answers the completions; the caller keeps ownership and disposes it. */
  backend: JsonModelBackend;
  /** The model id each role is served under; a request's `model` picks the role. */
  modelIds: Record<ModelRole, string>;
  /** Bearer token every request must carry; at least 16 characters (see generateServeToken). */
  token: string;
  /** Loopback address to listen on: `127.0.0.0/8` or `::1`. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 16 MiB. */
  maxRequestBytes?: number;
}): Promise<OpenAiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!((isIPv4(host) && host.startsWith('127.')) || host === '::1')) throw new NonLoopbackHostError({ host });
  if (options.token.length < MIN_TOKEN_LENGTH) throw new WeakServeTokenError({ length: options.token.length, minLength: MIN_TOKEN_LENGTH });
  const tokenDigest = digest(options.token);
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const inFlight = new Set<AbortController>();
  const servedIds = [...new Set(modelRoleSchema.options.map((role) => options.modelIds[role]))];
  const created = Math.floor(Date.now() / 1000);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), tokenDigest)) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new HttpFailure(401, 'invalid_request_error', 'invalid_api_key', 'Missing or wrong bearer token: send Authorization: Bearer <the token nightshift models serve printed>.');
    }
    if (path === '/v1/models') {
      if (req.method !== 'GET') throw methodNotAllowed(req, 'GET');
      sendJson(res, 200, { object: 'list', data: servedIds.map((id) => ({ id, object: 'model', created, owned_by: 'nightshift' })) });
      return;
    }
    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST') throw methodNotAllowed(req, 'POST');
      await completeChat(req, res);
      return;
    }
    throw new HttpFailure(404, 'invalid_request_error', 'not_found', `No route ${req.method} ${path}; this server has GET /v1/models and POST /v1/chat/completions.`);
  };

  const completeChat = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chat = parseChatRequest(await readBody(req, maxRequestBytes));
    const roles = modelRoleSchema.options.filter((role) => options.modelIds[role] === chat.model);
    if (roles.length === 0) {
      throw new HttpFailure(404, 'invalid_request_error', 'model_not_found', `The model "${chat.model}" does not exist; this server has ${servedIds.join(', ')}.`, 'model');
    }
    const request = toGenerateRequest(chat, roles, req);
    const controller = new AbortController();
    inFlight.add(controller);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const id = `chatcmpl-${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    try {
      if (!chat.stream) {
        const result = await options.backend.generate(request, { signal: controller.signal });
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: now,
          model: chat.model,
          choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: 'stop' }],
          usage: usageOf(result),
        });
        return;
      }
      await streamChat({ res, chat, request, signal: controller.signal, chunk: { id, object: 'chat.completion.chunk', created: now, model: chat.model } });
    } finally {
      inFlight.delete(controller);
    }
  };

  const streamChat = async (call: {
    res: ServerResponse;
    chat: ChatRequest;
    request: JsonGenerateRequest;
    signal: AbortSignal;
    chunk: Record<string, unknown>;
  }): Promise<void> => {
    const { res } = call;
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const delta = (content: Record<string, unknown>, finishReason: string | null) =>
      send({ ...call.chunk, choices: [{ index: 0, delta: content, finish_reason: finishReason }] });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    delta({ role: 'assistant', content: '' }, null);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    try {
      const result = await options.backend.generate(call.request, { signal: call.signal, onToken: (text) => delta({ content: text }, null) });
      delta({}, 'stop');
      if (call.chat.stream_options?.include_usage) send({ ...call.chunk, choices: [], usage: usageOf(result) });
      res.end('data: [DONE]\n\n');
    } catch (error) {
      if (call.signal.aborted) return;
      const failure = toHttpFailure(error);
      send({ error: errorBody(failure) });
      res.end();
    } finally {
      clearInterval(keepAlive);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const failure = toHttpFailure(error);
      sendJson(res, failure.status, { error: errorBody(failure) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ServeListenError({ host, port: options.port ?? 0, reason: error.code ?? error.message, cause: error }));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const close = async (): Promise<void> => {
    for (const controller of inFlight) controller.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`, port, close, dispose: close };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function methodNotAllowed(req: IncomingMessage, allowed: string): HttpFailure {
  return new HttpFailure(405, 'invalid_request_error', 'method_not_allowed', `${req.method} is not allowed here; use ${allowed}.`);
}

/**
 * The request body as text; refuses with 413 past `limit` bytes, from Content-Length before reading when
 * it is given. A chunked body past the limit is read to its end but not kept, because stopping mid-body
 * would reset the connection before the client sees the 413.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new HttpFailure(413, 'invalid_request_error', 'request_too_large', `The request body is larger than ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw tooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

function parseChatRequest(body: string): ChatRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new HttpFailure(400, 'invalid_request_error', 'invalid_json', `The request body is not JSON: ${(error as Error).message}`);
  }
  const parsed = chatRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join('.') || null;
    throw new HttpFailure(400, 'invalid_request_error', 'invalid_request', `Invalid chat completion request: ${param ?? '(root)'}: ${issue.message}`, param);
  }
  return parsed.data;
}

function toGenerateRequest(chat: ChatRequest, roles: ModelRole[], req: IncomingMessage): JsonGenerateRequest {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const requestedRole = modelRoleSchema.safeParse(header(nightshiftHeaders.role));
  const role = requestedRole.success && roles.includes(requestedRole.data) ? requestedRole.data : roles[0]!;
  const format = chat.response_format;
  const jsonSchema: Record<string, unknown> =
    format?.type === 'json_schema' ? (format.json_schema.schema ?? {}) : format?.type === 'json_object' ? { type: 'object' } : {};
  const isSystem = (message: ChatRequest['messages'][number]) => message.role === 'system' || message.role === 'developer';
  const others = chat.messages.filter((message) => !isSystem(message));
  const temperature = chat.temperature ?? undefined;
  const maxTokens = chat.max_completion_tokens ?? chat.max_tokens ?? undefined;
  return {
    role,
    promptId: decodeHeader(header(nightshiftHeaders.promptId), nightshiftHeaders.promptId) ?? DEFAULT_PROMPT_ID,
    system: chat.messages.filter(isSystem).map(textOf).join('\n\n'),
    user: others.length === 1 && others[0]!.role === 'user' ? textOf(others[0]!) : others.map((message) => `${message.role}: ${textOf(message)}`).join('\n\n'),
    jsonSchema,
    meta: metaOf(role, header),
    ...(temperature === undefined ? {} : { temperature }),
    ...(typeof chat.seed === 'number' ? { seed: chat.seed } : {}),
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
}

function metaOf(role: ModelRole, header: (name: string) => string | undefined): ModelCallMeta {
  const phaseHeader = header(nightshiftHeaders.phase);
  const phase = phaseHeader === undefined ? DEFAULT_PHASE[role] : phaseNameSchema.safeParse(phaseHeader).data;
  if (phase === undefined) {
    throw new HttpFailure(400, 'invalid_request_error', 'invalid_header', `${nightshiftHeaders.phase} must be one of ${phaseNameSchema.options.join(', ')}.`, nightshiftHeaders.phase);
  }
  const attemptHeader = header(nightshiftHeaders.attempt);
  const attempt = attemptHeader === undefined ? 1 : Number(attemptHeader);
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new HttpFailure(400, 'invalid_request_error', 'invalid_header', `${nightshiftHeaders.attempt} must be a positive integer.`, nightshiftHeaders.attempt);
  }
  return { taskId: decodeHeader(header(nightshiftHeaders.taskId), nightshiftHeaders.taskId) ?? DEFAULT_TASK_ID, phase, attempt };
}

/** Undoes createOpenAiBackend's percent-encoding, which keeps any task id a valid header value. */
function decodeHeader(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new HttpFailure(400, 'invalid_request_error', 'invalid_header', `${name} is not valid percent-encoding.`, name);
  }
}

function textOf(message: { content?: z.infer<typeof contentSchema> | undefined }): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

function usageOf(result: JsonGenerateResult) {
  const { promptTokens, outputTokens } = result.usage;
  return { prompt_tokens: promptTokens, completion_tokens: outputTokens, total_tokens: promptTokens + outputTokens };
}

function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof HttpFailure) return error;
  if (error instanceof NightshiftError) return new HttpFailure(500, 'server_error', error.code, `${error.message} ${error.hint}`, null, error.toJSON());
  return new HttpFailure(500, 'server_error', 'internal_error', error instanceof Error ? error.message : String(error));
}

function errorBody(failure: HttpFailure) {
  return { message: failure.message, type: failure.type, code: failure.code, param: failure.param, ...(failure.nightshift ? { nightshift: failure.nightshift } : {}) };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
