import { describe, expect, it } from 'vitest';
import { ModelOutputError } from '../../../../src/shared/model/ModelOutputError.js';
import { ModelHostInvalidMessageError } from '../../../../src/runtime/host/ModelHostInvalidMessageError.js';
import { ModelHostRemoteError } from '../../../../src/runtime/host/ModelHostRemoteError.js';
import { rebuildHostedError } from '../../../../src/runtime/host/rebuildHostedError.js';
import { toHostedError } from '../../../../src/runtime/host/toHostedError.js';
import { ModelCallAbortedError } from '../../../../src/shared/model/ModelCallAbortedError.js';
import { ScriptExhaustedError } from '../../../../src/runtime/scripted/ScriptExhaustedError.js';
import { hostedErrorSchema } from '../../../../src/shared/modelHostProtocol.js';

/** What crossing the process boundary does to an error: flattened, sent as JSON, validated, rebuilt. */
function acrossTheBoundary(error: unknown): Error {
  const hosted = hostedErrorSchema.parse(JSON.parse(JSON.stringify(toHostedError({ error }))));
  return rebuildHostedError({ error: hosted, role: 'coder', promptId: 'green@1' });
}

describe('toHostedError and rebuildHostedError', () => {
  it('bring back the error classes callers branch on', () => {
    const aborted = acrossTheBoundary(new ModelCallAbortedError({ role: 'coder', promptId: 'green@1' }));
    expect(aborted).toBeInstanceOf(ModelCallAbortedError);
    expect(aborted.name).toBe('AbortError');
    expect(acrossTheBoundary(Object.assign(new Error('stopped'), { name: 'AbortError' }))).toBeInstanceOf(ModelCallAbortedError);

    const output = acrossTheBoundary(new ModelOutputError({ role: 'coder', promptId: 'green@1', output: '{"n":', issues: 'truncated' }));
    expect(output).toBeInstanceOf(ModelOutputError);
    expect(output).toMatchObject({ context: { output: '{"n":', issues: 'truncated' } });

    const invalid = acrossTheBoundary(new ModelHostInvalidMessageError({ messageType: 'generate', problem: 'request.role: bad' }));
    expect(invalid).toBeInstanceOf(ModelHostInvalidMessageError);
    expect(invalid).toMatchObject({ context: { messageType: 'generate', problem: 'request.role: bad' } });
  });

  it('bring the cause chain across as typed errors too', () => {
    const cause = new ModelOutputError({ role: 'coder', promptId: 'green@1', output: '{', issues: 'truncated' });
    const original = new ScriptExhaustedError({ taskId: 'T1', phase: 'green', scriptPath: '/s.json' });
    Object.defineProperty(original, 'cause', { value: cause });
    const rebuilt = acrossTheBoundary(original);
    expect(rebuilt).toBeInstanceOf(ModelHostRemoteError);
    expect(rebuilt.cause).toBeInstanceOf(ModelOutputError);
    expect(rebuilt.cause).toMatchObject({ context: { output: '{', issues: 'truncated' } });
  });

  it('keep code, message, hint and context of any other error', () => {
    const original = new ScriptExhaustedError({ taskId: 'T1', phase: 'green', scriptPath: '/s.json' });
    const rebuilt = acrossTheBoundary(original);
    expect(rebuilt).toBeInstanceOf(ModelHostRemoteError);
    expect(rebuilt).toMatchObject({
      code: 'SCRIPT_EXHAUSTED',
      message: original.message,
      hint: original.hint,
      context: { taskId: 'T1', phase: 'green', scriptPath: '/s.json', remoteName: 'ScriptExhaustedError' },
    });
  });

  it('turn plain errors and thrown values into a backend failure with what survives JSON', () => {
    const plain = acrossTheBoundary(new TypeError('boom'));
    expect(plain).toMatchObject({ code: 'MODEL_BACKEND_FAILED', message: 'boom', context: { remoteName: 'TypeError', stack: expect.stringContaining('boom') } });
    expect(acrossTheBoundary('a string')).toMatchObject({ code: 'MODEL_BACKEND_FAILED', message: 'a string' });

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const odd = new ModelHostRemoteError({ error: { code: 'X', message: 'm', hint: 'h', name: 'X', context: {} } });
    Object.assign(odd.context, { cyclic, big: 10n, gone: undefined, fine: [1] });
    expect(acrossTheBoundary(odd)).toMatchObject({ code: 'X', context: { cyclic: '[object Object]', big: '10', fine: [1] } });
  });
});
