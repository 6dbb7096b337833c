import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { eventHttpPath, isProtocolName, type ProtocolName, type ProtocolResult } from '../shared/protocol.js';

/** Name of the header (and of the query parameter) that carries the access token. */
const TOKEN_HEADER = 'x-nightshift-token';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Host names a browser on this machine (or at the end of an SSH tunnel) uses to reach the server. */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ProtocolServer {
  /** Origin the server listens on, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Port it listens on. */
  port: number;
  /** The page to open: the origin with the access token, e.g. `http://127.0.0.1:41234/?token=...`. */
  url: string;
  /** Sends an engine event to every connected event stream. */
  push(event: EngineEvent): void;
  /** Resolves once at least `count` event streams are connected (default 1). */
  waitForEventClients(count?: number): Promise<void>;
  /** Ends the event streams and open connections and stops listening. */
  close(): Promise<void>;
}

/**
 * The browser API on 127.0.0.1 only, as `nightshift serve` offers it: the built renderer's files from
 * `staticDir`, each protocol message at `POST /api/<noun>/<verb>`, and engine events as server-sent events
 * on `/api/events`. Every `/api/` request must carry `token` (header `x-nightshift-token` or query `token`)
 * or gets 401. A request whose Host is not a loopback name, or whose Origin is present and is not the
 * origin the browser was served from, gets 403: that keeps other web pages (CSRF) and DNS rebinding out.
 * The renderer's files carry no data, so they are served without the token; the page reads it from its URL.
 */
export async function startProtocolServer(options: {
  /** Directory with the built renderer (index.html and assets/). */
  staticDir: string;
  /** Answers one message; the request body is passed as parsed JSON, unvalidated. */
  handle: (name: ProtocolName, request: unknown) => Promise<ProtocolResult<unknown>>;
  /** Access token every API request must carry; at least 128 random bits in production. */
  token: string;
  /** TCP port on 127.0.0.1. Default 0: a free port the system picks. */
  port?: number;
}): Promise<ProtocolServer> {
  const staticRoot = resolve(options.staticDir);
  const tokenDigest = digest(options.token);
  const streams = new Set<ServerResponse>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = checkOrigin(request);
    if (refusal) {
      sendJson(response, 403, failure('FORBIDDEN', refusal, 'Open the URL that `nightshift serve` printed.'));
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      const presented = request.headers[TOKEN_HEADER] ?? url.searchParams.get('token');
      if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), tokenDigest)) {
        sendJson(response, 401, failure('UNAUTHORIZED', 'The access token is missing or wrong.', 'Open the URL with ?token=... that `nightshift serve` printed.'));
        return;
      }
      await routeApi(request, response, path);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    await serveFile(staticRoot, path, response);
  }

  async function routeApi(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (path === eventHttpPath && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      for (const waiter of waiters.splice(0)) {
        if (streams.size >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
      return;
    }
    const name = path.slice('/api/'.length);
    if (request.method !== 'POST' || !isProtocolName(name)) {
      sendJson(response, 404, failure('UNKNOWN_MESSAGE', `No message ${request.method} ${path}.`, 'Check the request against src/shared/protocol.ts.'));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      sendJson(response, 400, failure('INVALID_REQUEST', 'The request body is not JSON.', 'Check the request against src/shared/protocol.ts.'));
      return;
    }
    sendJson(response, 200, await options.handle(name, body));
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    port,
    url: `${origin}/?token=${encodeURIComponent(options.token)}`,
    push(event) {
      for (const stream of streams) stream.write(`data: ${JSON.stringify(event)}\n\n`);
    },
    waitForEventClients(count = 1) {
      if (streams.size >= count) return Promise.resolve();
      return new Promise((resolveWait) => waiters.push({ count, resolve: resolveWait }));
    },
    close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      return new Promise((resolveClose, reject) => server.close((error) => (error ? reject(error) : resolveClose())));
    },
  };
}

/**
 * Why a request is refused for where it comes from, or null. The served origin is taken from the Host
 * header, so a browser behind an SSH tunnel on another local port is served too, as long as it names a
 * loopback host.
 */
function checkOrigin(request: IncomingMessage): string | null {
  const host = request.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  if (!LOOPBACK_NAMES.has(hostname)) return `Host "${host}" is not a loopback address.`;
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) return `Origin "${origin}" is not this server's.`;
  return null;
}

async function serveFile(staticRoot: string, path: string, response: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path === '/' ? '/index.html' : path);
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
    return;
  }
  const file = resolve(staticRoot, `.${decoded.replace(/\\/g, '/')}`);
  if (decoded.includes('\0') || !file.startsWith(staticRoot + sep)) {
    response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    return;
  }
  try {
    const content = await readFile(file);
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
    response.end(content);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function failure(code: string, message: string, hint: string): ProtocolResult<never> {
  return { ok: false, error: new NightshiftError({ code, message, hint }).toJSON() };
}
