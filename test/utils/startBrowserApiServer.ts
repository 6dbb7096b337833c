import { randomBytes } from 'node:crypto';
import { startProtocolServer } from '../../src/host/startProtocolServer.js';
import type { EngineEvent } from '../../src/shared/engineEventSchema.js';
import type { ProtocolName, ProtocolResult } from '../../src/shared/protocol.js';

export interface BrowserApiServer {
  /** The page to open, with its access token, e.g. `http://127.0.0.1:41234/?token=...`. */
  url: string;
  /** Origin the server listens on, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The access token API requests must carry. */
  token: string;
  /** Sends an engine event to every connected event stream. */
  push(event: EngineEvent): void;
  /** Resolves once at least `count` event streams are connected (default 1). */
  waitForEventClients(count?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The browser API as `nightshift serve` offers it (src/host/startProtocolServer.ts), on a free port with a
 * fresh access token, answering each message with `handle`.
 */
export async function startBrowserApiServer(options: {
  /** Directory with the built renderer (index.html and assets/). */
  staticDir: string;
  /** Answers one message; the request body is passed as parsed JSON, unvalidated. */
  handle: (name: ProtocolName, request: unknown) => Promise<ProtocolResult<unknown>>;
}): Promise<BrowserApiServer> {
  const token = randomBytes(16).toString('hex');
  const server = await startProtocolServer({ staticDir: options.staticDir, handle: options.handle, token });
  return {
    url: server.url,
    origin: server.origin,
    token,
    push: (event) => server.push(event),
    waitForEventClients: (count) => server.waitForEventClients(count),
    close: () => server.close(),
  };
}
