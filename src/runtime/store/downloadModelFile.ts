import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { ModelDownloadError, type ModelDownloadFailure } from './ModelDownloadError.js';
import type { ModelPullProgress } from './ModelFileStore.js';

/** Error codes that mean the host was never reached: worth one quick retry, then "looks offline". */
const unreachableCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const partialMetaSchema = z.object({
  url: z.string(),
  /** Strong ETag or Last-Modified of the file the partial bytes came from, sent as If-Range. */
  validator: z.string().nullable(),
  totalBytes: z.number().int().nonnegative().nullable(),
});

type PartialMeta = z.infer<typeof partialMetaSchema>;

/**
 * Downloads `url` into `partPath`, continuing a partial file with an HTTP Range request when the partial
 * came from the same URL (and, through If-Range, the same version of the file). A server that ignores
 * Range, or answers for a different offset, gets the file from the start. Transport failures raise
 * `ModelDownloadError` and leave the partial file for the next call; nothing here checks the content.
 */
export async function downloadModelFile(options: {
  /** Model id, for error messages. */
  id: string;
  url: string;
  /** Partial file the bytes go to. */
  partPath: string;
  /** JSON file beside the partial recording where its bytes came from. */
  metaPath: string;
  fetch: typeof fetch;
  /** Milliseconds since the epoch, for the transfer rate. */
  now: () => number;
  /** A partial larger than this is stale and is discarded. */
  expectedSizeBytes?: number;
  /**
   * Called once the response is known and before any byte is written, with the file's full size when the
   * server gives it and the bytes already on disk that will be kept. Throw to refuse (no disk space, wrong size).
   */
  beforeWrite: (info: { totalBytes: number | null; haveBytes: number }) => Promise<void>;
  onProgress?: (progress: ModelPullProgress) => void;
  signal?: AbortSignal;
  /** Milliseconds to wait for response headers before calling the host unreachable. */
  responseTimeoutMs: number;
  /** Milliseconds without a byte of the body before the transfer counts as stalled. */
  stallTimeoutMs: number;
  /** Pause in milliseconds before the one retry of a connection that failed outright. */
  retryDelayMs: number;
}): Promise<{ sizeBytes: number; sha256: string }> {
  const fail = (reason: ModelDownloadFailure, detail: string, extra: { status?: number; partialBytes?: number; cause?: unknown } = {}) =>
    new ModelDownloadError({ id: options.id, url: options.url, reason, detail, ...extra });

  for (let round = 0; round < 2; round += 1) {
    const have = await keptPartialBytes(options);
    const meta = have > 0 ? await readMeta(options.metaPath) : null;
    // Hashed before asking, so the connection is not left idle while gigabytes are read back.
    const keptHash = have > 0 ? await hashFile(options.partPath) : null;
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      if (meta?.validator) headers['if-range'] = meta.validator;
    }
    const { response, controller } = await request({ ...options, headers, fail });
    const plan = planWrite(response, have);
    if (plan.kind === 'refused') {
      await response.body?.cancel().catch(() => undefined);
      throw fail('http', `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, { status: response.status });
    }
    if (plan.kind === 'restart') {
      await response.body?.cancel().catch(() => undefined);
      await rm(options.partPath, { force: true });
      continue;
    }
    if (plan.kind === 'complete') {
      await options.beforeWrite({ totalBytes: have, haveBytes: have });
      return { sizeBytes: have, sha256: keptHash!.digest('hex') };
    }
    const start = plan.kind === 'append' ? have : 0;
    try {
      await options.beforeWrite({ totalBytes: plan.totalBytes, haveBytes: start });
    } catch (error) {
      await response.body?.cancel().catch(() => undefined);
      throw error;
    }
    await writeFile(
      options.metaPath,
      JSON.stringify({ url: options.url, validator: validatorOf(response), totalBytes: plan.totalBytes } satisfies PartialMeta),
    );
    const hash = start > 0 && keptHash ? keptHash : createHash('sha256');
    const sizeBytes = await receiveBody({ ...options, response, controller, start, totalBytes: plan.totalBytes, hash, fail });
    return { sizeBytes, sha256: hash.digest('hex') };
  }
  throw fail('http', 'the server answered a resumed request for the wrong part of the file twice');
}

async function keptPartialBytes(options: { url: string; partPath: string; metaPath: string; expectedSizeBytes?: number }): Promise<number> {
  const size = await stat(options.partPath).then(
    (stats) => stats.size,
    () => 0,
  );
  if (size === 0) return 0;
  const meta = await readMeta(options.metaPath);
  const stale =
    !meta ||
    meta.url !== options.url ||
    (options.expectedSizeBytes !== undefined && size > options.expectedSizeBytes) ||
    (meta.totalBytes !== null && size > meta.totalBytes);
  if (!stale) return size;
  await rm(options.partPath, { force: true });
  return 0;
}

async function readMeta(path: string): Promise<PartialMeta | null> {
  try {
    const parsed = partialMetaSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Fetches with a deadline for the response headers and one quick retry when the host cannot be reached. */
async function request(options: {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  signal?: AbortSignal;
  responseTimeoutMs: number;
  retryDelayMs: number;
  fail: (reason: ModelDownloadFailure, detail: string, extra?: { cause?: unknown }) => ModelDownloadError;
}): Promise<{ response: Response; controller: AbortController }> {
  for (let attempt = 1; ; attempt += 1) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.responseTimeoutMs);
    try {
      const response = await options.fetch(options.url, {
        headers: options.headers,
        redirect: 'follow',
        signal: options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal,
      });
      return { response, controller };
    } catch (error) {
      if (options.signal?.aborted) throw options.fail('aborted', 'cancelled', { cause: error });
      if (timedOut) throw options.fail('timeout', `no response within ${options.responseTimeoutMs / 1000} s`, { cause: error });
      const code = errorCode(error);
      if (!code || !unreachableCodes.has(code)) throw options.fail('network', describe(error), { cause: error });
      if (attempt >= 2) throw options.fail('offline', code, { cause: error });
      await delay(options.retryDelayMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
      if (options.signal?.aborted) throw options.fail('aborted', 'cancelled', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

type WritePlan =
  | { kind: 'append' | 'fresh'; totalBytes: number | null }
  | { kind: 'complete' }
  | { kind: 'restart' }
  | { kind: 'refused' };

function planWrite(response: Response, have: number): WritePlan {
  const range = parseContentRange(response.headers.get('content-range'));
  if (response.status === 206) {
    if (range && range.start === have) return { kind: 'append', totalBytes: range.total };
    return { kind: 'restart' };
  }
  if (response.status === 416 && have > 0) return range?.total === have ? { kind: 'complete' } : { kind: 'restart' };
  if (response.status === 200) {
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    return { kind: 'fresh', totalBytes: Number.isSafeInteger(length) && length >= 0 ? length : null };
  }
  return { kind: 'refused' };
}

/** `bytes 100-199/1000`, `bytes 100-199/*` or `bytes *\/1000`. */
function parseContentRange(header: string | null): { start: number | null; total: number | null } | null {
  const match = header ? /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return null;
  return { start: match[1] === undefined ? null : Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

function validatorOf(response: Response): string | null {
  const etag = response.headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers.get('last-modified');
}

async function receiveBody(options: {
  response: Response;
  controller: AbortController;
  partPath: string;
  start: number;
  totalBytes: number | null;
  hash: Hash;
  now: () => number;
  onProgress?: (progress: ModelPullProgress) => void;
  signal?: AbortSignal;
  stallTimeoutMs: number;
  fail: (reason: ModelDownloadFailure, detail: string, extra?: { partialBytes?: number; cause?: unknown }) => ModelDownloadError;
}): Promise<number> {
  const file = await open(options.partPath, options.start > 0 ? 'a' : 'w');
  const reader = options.response.body?.getReader();
  const startedAt = options.now();
  let received = options.start;
  let lastReport = Number.NEGATIVE_INFINITY;
  const report = (force: boolean) => {
    const at = options.now();
    if (!options.onProgress || (!force && at - lastReport < 100)) return;
    lastReport = at;
    const seconds = (at - startedAt) / 1000;
    options.onProgress({
      receivedBytes: received,
      totalBytes: options.totalBytes,
      bytesPerSecond: seconds > 0 ? (received - options.start) / seconds : 0,
    });
  };
  let stalled = false;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      options.controller.abort();
    }, options.stallTimeoutMs);
  };
  let finished = false;
  try {
    report(true);
    while (reader) {
      armStallTimer();
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (options.signal?.aborted) throw options.fail('aborted', 'cancelled', { partialBytes: received, cause: error });
        if (stalled) throw options.fail('timeout', `no data for ${options.stallTimeoutMs / 1000} s`, { partialBytes: received, cause: error });
        throw options.fail('interrupted', describe(error), { partialBytes: received, cause: error });
      }
      if (chunk.done) break;
      await file.write(chunk.value);
      options.hash.update(chunk.value);
      received += chunk.value.length;
      report(false);
    }
    finished = true;
    if (options.totalBytes !== null && received < options.totalBytes) {
      throw options.fail('interrupted', `the connection closed after ${received} of ${options.totalBytes} bytes`, { partialBytes: received });
    }
    report(true);
    await file.sync();
    return received;
  } finally {
    clearTimeout(stallTimer);
    if (!finished) await reader?.cancel().catch(() => undefined);
    await file.close();
  }
}

async function hashFile(path: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const candidate = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    const inner = candidate.errors?.[0] as { code?: unknown } | undefined;
    if (typeof inner?.code === 'string') return inner.code;
    current = candidate.cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const code = errorCode(error);
  const cause = (error as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
