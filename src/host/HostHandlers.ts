import type { ProtocolName, ProtocolRequest, ProtocolResponse } from '../shared/protocol.js';

/** One function per protocol message; each gets a request its schema already validated. */
export type HostHandlers = {
  [K in ProtocolName]: (request: ProtocolRequest<K>) => ProtocolResponse<K> | Promise<ProtocolResponse<K>>;
};
