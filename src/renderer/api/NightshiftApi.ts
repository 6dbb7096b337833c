import type { EngineEvent } from '../../shared/engineEventSchema.js';
import type { ProtocolName, ProtocolRequest, ProtocolResponse } from '../../shared/protocol.js';

/**
 * How the user interface talks to its host, whichever process or server that is. Calls reject with
 * `ApiCallError` carrying the host's `code` and `hint`.
 */
export interface NightshiftApi {
  invoke<K extends ProtocolName>(name: K, request: ProtocolRequest<K>): Promise<ProtocolResponse<K>>;
  /** Calls `listener` with each engine event the host pushes; returns a function that stops it. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /**
   * The system's folder picker, resolving to the chosen path or null when cancelled; absent where there is
   * none (a browser), and the view offers a path field instead.
   */
  pickFolder?: () => Promise<string | null>;
}
