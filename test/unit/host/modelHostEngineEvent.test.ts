import { describe, expect, it } from 'vitest';
import { modelHostEngineEvent } from '../../../src/host/modelHostEngineEvent.js';
import { ModelHostInvalidMessageError } from '../../../src/runtime/host/ModelHostInvalidMessageError.js';
import { engineEventSchema } from '../../../src/shared/engineEventSchema.js';

const where = { at: 1_700_000_000_000, projectPath: '/work/calc', sessionId: 'S1' };

describe('modelHostEngineEvent', () => {
  it('shows a crash the next call recovers from as a model-host crash that restarts, explained when the process said nothing', () => {
    const shown = modelHostEngineEvent({ ...where, event: { type: 'crash', pid: 41, exitCode: null, signal: 'SIGKILL', inFlightCalls: 1, restarting: true } });
    expect(shown).toEqual({
      type: 'process/crashed',
      at: where.at,
      process: 'model-host',
      projectPath: '/work/calc',
      sessionId: 'S1',
      exitCode: null,
      signal: 'SIGKILL',
      detail: 'The model process ended (signal SIGKILL), taking 1 model call with it; the next model call starts it again.',
      restarting: true,
    });
    expect(engineEventSchema.parse(shown)).toEqual(shown);
  });

  it('keeps the crash’s last words, and says when the host gave up restarting', () => {
    const shown = modelHostEngineEvent({
      ...where,
      sessionId: null,
      event: { type: 'crash', pid: 41, exitCode: 134, signal: null, inFlightCalls: 0, restarting: false, stderrTail: 'GGML_ASSERT failed\n' },
    });
    expect(shown).toMatchObject({ process: 'model-host', sessionId: null, exitCode: 134, detail: 'GGML_ASSERT failed', restarting: false });
    const silent = modelHostEngineEvent({ ...where, event: { type: 'crash', pid: 41, exitCode: 1, signal: null, inFlightCalls: 2, restarting: false } });
    expect(silent).toMatchObject({ detail: expect.stringMatching(/exit code 1\), taking 2 model calls with it; it crashed too often/) });
  });

  it('shows a restart as process/restarted, a protocol error as a warning, and nothing for a process that became ready', () => {
    const restarted = modelHostEngineEvent({ ...where, event: { type: 'restart', restarts: 1 } });
    expect(restarted).toEqual({ type: 'process/restarted', at: where.at, process: 'model-host', projectPath: '/work/calc', sessionId: 'S1' });
    expect(engineEventSchema.parse(restarted)).toEqual(restarted);
    const warning = modelHostEngineEvent({ ...where, event: { type: 'protocol-error', error: new ModelHostInvalidMessageError({ messageType: 'result', problem: 'callId: expected string' }) } });
    expect(warning).toMatchObject({ type: 'log', level: 'warn', message: expect.stringMatching(/^model host: .*callId: expected string/) });
    expect(modelHostEngineEvent({ ...where, event: { type: 'ready', pid: 41, startMs: 800 } })).toBeNull();
  });
});
