import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { EngineEvent } from '../../src/shared/engineEventSchema.js';
import { NightshiftError } from '../../src/shared/NightshiftError.js';
import {
  eventHttpPath,
  isProtocolName,
  type ProtocolName,
  type ProtocolResult,
} from '../../src/shared/protocol.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface BrowserApiServer {
  /** Origin the server listens on, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Sends an engine event to every connected event stream. */
  push(event: EngineEvent): void;
  /** Resolves once at least `count` event streams are connected (default 1). */
  waitForEventClients(count?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The browser API on 127.0.0.1, as `nightshift serve` offers it: static files from `staticDir`, each
 * protocol message at `POST /api/<noun>/<verb>`, and engine events as server-sent events on `/api/events`.
 */
export async function startBrowserApiServer(options: {
  /** Directory with the built renderer (index.html and assets/). */
  staticDir: string;
  /** Answers one message; the request body is passed as parsed JSON, unvalidated. */
  handle: (name: ProtocolName, request: unknown) => Promise<ProtocolResult<unknown>>;
}): Promise<BrowserApiServer> {
  const streams = new Set<ServerResponse>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === eventHttpPath && request.method === 'GET') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      for (const waiter of waiters.splice(0)) {
        if (streams.size >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
      return;
    }
    if (path.startsWith('/api/')) {
      const name = path.slice('/api/'.length);
      if (request.method !== 'POST' || !isProtocolName(name)) {
        sendJson(response, 404, failure('UNKNOWN_MESSAGE', `No message ${request.method} ${path}.`));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch {
        sendJson(response, 400, failure('INVALID_REQUEST', 'The request body is not JSON.'));
        return;
      }
      sendJson(response, 200, await options.handle(name, body));
      return;
    }
    await serveFile(options.staticDir, path, response);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    push(event) {
      for (const stream of streams) stream.write(`data: ${JSON.stringify(event)}\n\n`);
    },
    waitForEventClients(count = 1) {
      if (streams.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

async function serveFile(staticDir: string, path: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^([/\\])+/, '');
  const file = join(staticDir, relative);
  if (relative.startsWith('..') || !file.startsWith(staticDir + sep)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const content = await readFile(file);
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    response.end(content);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function failure(code: string, message: string): ProtocolResult<never> {
  return { ok: false, error: new NightshiftError({ code, message, hint: 'Check the request against src/shared/protocol.ts.' }).toJSON() };
}
