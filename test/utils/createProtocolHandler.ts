import { NightshiftError } from '../../src/shared/NightshiftError.js';
import {
  protocolRequestSchemas,
  type ProtocolName,
  type ProtocolRequest,
  type ProtocolResponse,
  type ProtocolResult,
} from '../../src/shared/protocol.js';

/** Answers for some messages; one may throw a NightshiftError to refuse, as a host handler does. */
export type ProtocolHandlers = { [K in ProtocolName]?: (request: ProtocolRequest<K>) => ProtocolResponse<K> | Promise<ProtocolResponse<K>> };

export interface ProtocolHandler {
  /** Validates the request with the protocol's schema, then answers like a host: failures as `{ ok: false }`. */
  handle(name: ProtocolName, request: unknown): Promise<ProtocolResult<unknown>>;
  /** Every request received, in order, including invalid ones. */
  requests: Array<{ name: ProtocolName; request: unknown }>;
  /** The requests that failed their schema, with the schema's complaint. */
  rejected: Array<{ name: ProtocolName; request: unknown; message: string }>;
}

/**
 * A host made of a few in-test answers, for views whose host side is tested elsewhere: requests are checked
 * against the real schemas (so a view sending a malformed one fails its test) and errors travel as data.
 */
export function createProtocolHandler(options: {
  handlers: ProtocolHandlers;
  /** Answers the messages `handlers` lacks. Default: refuse them with `NOT_IN_TEST`. */
  otherwise?: (name: ProtocolName, request: unknown) => Promise<ProtocolResult<unknown>>;
}): ProtocolHandler {
  const requests: ProtocolHandler['requests'] = [];
  const rejected: ProtocolHandler['rejected'] = [];
  return {
    requests,
    rejected,
    async handle(name, request) {
      const answer = options.handlers[name] as ((request: unknown) => unknown) | undefined;
      if (!answer && options.otherwise) return options.otherwise(name, request);
      requests.push({ name, request });
      const parsed = protocolRequestSchemas[name].safeParse(request);
      if (!parsed.success) {
        rejected.push({ name, request, message: parsed.error.message });
        return { ok: false, error: new NightshiftError({ code: 'INVALID_REQUEST', message: parsed.error.message, hint: 'Fix the sender.' }).toJSON() };
      }
      try {
        if (!answer) throw new NightshiftError({ code: 'NOT_IN_TEST', message: `This test does not answer ${name}.`, hint: 'Add a handler.' });
        return { ok: true, value: await answer(parsed.data) };
      } catch (error) {
        return { ok: false, error: NightshiftError.toData({ error }) };
      }
    },
  };
}
