import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../src/renderer/api/ApiCallError.js';
import { NightshiftError } from '../../../src/shared/NightshiftError.js';
import type { ProtocolResult } from '../../../src/shared/protocol.js';

describe('ApiCallError.unwrap', () => {
  it('answers the value of a successful result', () => {
    expect(ApiCallError.unwrap('session/list', { ok: true, value: 42 })).toBe(42);
  });

  it("throws the host's error, sent as JSON, as an ApiCallError with its code, hint, context and cause", () => {
    const hostError = new NightshiftError({
      code: 'NOT_FOUND',
      message: 'No session s1.',
      hint: 'Pick a session from the list.',
      context: { sessionId: 's1' },
      cause: new NightshiftError({ code: 'STORE_FAILED', message: 'disk', hint: 'h' }),
    });
    const result = JSON.parse(JSON.stringify({ ok: false, error: hostError })) as ProtocolResult<never>;
    let thrown: unknown;
    try {
      ApiCallError.unwrap('session/get', result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiCallError);
    expect(thrown).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No session s1.',
      hint: 'Pick a session from the list.',
      context: { sessionId: 's1', remoteName: 'NightshiftError', message: 'session/get' },
    });
    expect((thrown as Error).cause).toMatchObject({ code: 'STORE_FAILED', message: 'disk' });
  });
});
