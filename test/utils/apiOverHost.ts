import { ApiCallError } from '../../src/renderer/api/ApiCallError.js';
import type { NightshiftApi } from '../../src/renderer/api/NightshiftApi.js';
import type { ProtocolName, ProtocolRequest, ProtocolResponse, ProtocolResult } from '../../src/shared/protocol.js';

/**
 * The renderer's api over an in-test host: each request and answer goes through JSON as on the wire, a failure
 * rejects with ApiCallError as the real api's does, and no events arrive.
 */
export function apiOverHost(options: {
  host: { handle(name: ProtocolName, request: unknown): Promise<ProtocolResult<unknown>> };
  /** Awaited before each request, so a test can hold one in flight. */
  hold?: () => Promise<void>;
  /** The folder picker the api offers; absent: none, as in a browser. */
  pickFolder?: () => Promise<string | null>;
}): NightshiftApi {
  return {
    async invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>> {
      await options.hold?.();
      const result = JSON.parse(JSON.stringify(await options.host.handle(name, request))) as ProtocolResult<ProtocolResponse<K>>;
      return ApiCallError.unwrap(name, result);
    },
    onEvent: () => () => {},
    ...(options.pickFolder ? { pickFolder: options.pickFolder } : {}),
  };
}
