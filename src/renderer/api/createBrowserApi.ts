import { engineEventSchema, type EngineEvent } from '../../shared/engineEventSchema.js';
import {
  eventHttpPath,
  protocolHttpPath,
  type ProtocolName,
  type ProtocolRequest,
  type ProtocolResponse,
  type ProtocolResult,
} from '../../shared/protocol.js';
import { ApiCallError } from './ApiCallError.js';
import type { NightshiftApi } from './NightshiftApi.js';

/**
 * The API over HTTP, for a page served by `nightshift serve`: each message is a JSON `POST /api/<noun>/<verb>`
 * answered with a `ProtocolResult`, and engine events arrive as server-sent events on `/api/events`.
 */
export function createBrowserApi(options: {
  /** Origin (and optional path prefix) of the host, e.g. `http://127.0.0.1:4000`; no trailing slash needed. */
  baseUrl: string;
  /** Access token `nightshift serve` requires. Default: the `token` query parameter of the page's own URL. */
  token?: string;
}): NightshiftApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const token = options.token ?? new URLSearchParams(globalThis.location?.search ?? '').get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const listeners = new Set<(event: EngineEvent) => void>();
  let source: EventSource | null = null;

  async function invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
    let response: Response;
    try {
      response = await fetch(`${base}${protocolHttpPath(name)}${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw new ApiCallError({
        name,
        failure: {
          code: 'HOST_UNREACHABLE',
          message: `The Nightshift host at ${base} could not be reached.`,
          hint: 'Check that `nightshift serve` is running and that this page was opened from it.',
        },
        cause: error,
      });
    }
    return ApiCallError.unwrap(name, await readResult(name, response));
  }

  // One stream serves every listener, and it is closed when the last one leaves so an idle page holds no
  // connection open.
  const onEvent: NightshiftApi['onEvent'] = (listener) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource(`${base}${eventHttpPath}${query}`);
      source.addEventListener('message', (message) => {
        const event = parseEvent(message.data);
        if (event) for (const each of listeners) each(event);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };

  return { invoke, onEvent };
}

async function readResult<K extends ProtocolName>(
  name: K,
  response: Response,
): Promise<ProtocolResult<ProtocolResponse<K>>> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as ProtocolResult<ProtocolResponse<K>>;
    if (typeof body === 'object' && body !== null && typeof body.ok === 'boolean') return body;
  } catch {
    // Not JSON: reported below with the status, which says more than the parser would.
  }
  throw new ApiCallError({
    name,
    failure: {
      code: 'BAD_RESPONSE',
      message: `The host answered ${name} with HTTP ${response.status} and a body that is not a Nightshift result.`,
      hint: 'Check that the base URL points at `nightshift serve` and not at another server.',
    },
  });
}

function parseEvent(data: unknown): EngineEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed = engineEventSchema.safeParse(JSON.parse(data));
    if (parsed.success) return parsed.data;
    console.warn('Ignored an engine event that does not match the schema.', parsed.error.issues);
  } catch (error) {
    console.warn('Ignored an engine event that is not JSON.', error);
  }
  return null;
}
