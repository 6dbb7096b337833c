import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server saw. */
export interface ServedRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

/** How the server misbehaves; tests change these between requests. */
export interface ModelFileServerBehaviour {
  /** Answer Range requests with 206. When false, every request gets the whole file with 200. Default true. */
  honourRange: boolean;
  /** Destroy the connection after this many body bytes, for the next `dropResponses` responses. */
  dropAfterBytes: number | null;
  /** How many responses are cut at `dropAfterBytes`; counts down. Default 1. */
  dropResponses: number;
  /** Send this many body bytes, then hold the connection open without sending more. */
  stallAfterBytes: number | null;
  /** Strong ETag of the served files; If-Range with another value gets the whole file. */
  etag: string;
}

/**
 * A real HTTP file server on 127.0.0.1 (an OS-chosen port) serving fixed byte arrays, with Range, If-Range
 * and 416 handled as a CDN does, plus switches for dropped and stalled connections. Unknown paths are 404.
 */
export async function startModelFileServer(options: {
  /** URL path (e.g. `/org/repo/model.gguf`) to content. */
  files: Record<string, Uint8Array>;
}): Promise<{
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path: string): string;
  behaviour: ModelFileServerBehaviour;
  requests: ServedRequest[];
  files: Record<string, Uint8Array>;
  close(): Promise<void>;
}> {
  const behaviour: ModelFileServerBehaviour = { honourRange: true, dropAfterBytes: null, dropResponses: 1, stallAfterBytes: null, etag: '"v1"' };
  const requests: ServedRequest[] = [];
  const files = options.files;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const range = request.headers.range;
    const ifRange = request.headers['if-range'];
    const seen: ServedRequest = { path, range, ifRange: typeof ifRange === 'string' ? ifRange : undefined, status: 0 };
    requests.push(seen);
    const body = files[path];
    if (!body) {
      seen.status = 404;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let start = 0;
    const match = range && behaviour.honourRange && (!seen.ifRange || seen.ifRange === behaviour.etag) ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match) {
      start = Number(match[1]);
      if (start >= body.length) {
        seen.status = 416;
        response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      seen.status = 206;
      response.writeHead(206, {
        'content-type': 'application/octet-stream',
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        etag: behaviour.etag,
      });
    } else {
      seen.status = 200;
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, etag: behaviour.etag, 'accept-ranges': 'bytes' });
    }
    const rest = body.subarray(start);
    if (behaviour.stallAfterBytes !== null) {
      response.write(rest.subarray(0, behaviour.stallAfterBytes));
      return;
    }
    if (behaviour.dropAfterBytes !== null && behaviour.dropResponses > 0) {
      behaviour.dropResponses -= 1;
      response.write(rest.subarray(0, behaviour.dropAfterBytes), () => {
        // Let the bytes leave before cutting the connection, as a flaky network would.
        setTimeout(() => response.socket?.destroy(), 20);
      });
      return;
    }
    response.end(rest);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    behaviour,
    requests,
    files,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
