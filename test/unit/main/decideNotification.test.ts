import { describe, expect, it } from 'vitest';
import { decideNotification } from '../../../src/main/decideNotification.js';
import { engineEventSchema, type EngineEvent } from '../../../src/shared/engineEventSchema.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

const controlState = (overrides: Partial<SessionControlState> = {}) => sampleControlState({ projectPath: '/home/dev/calculator', overrides });

const at = 1_764_000_000_000;
const counts = { queued: 0, running: 0, done: 2, failed: 0, deadlocked: 1, escalated: 1, skipped: 0 };
const event = (value: unknown): EngineEvent => engineEventSchema.parse(value);

describe('decideNotification', () => {
  it('summarizes an ended session by status with its task counts and branch', () => {
    const finished = { at, type: 'session/finished', sessionId: 's1', status: 'completed', counts, branch: 'nightshift/s1', headCommit: 'abc' };
    expect(decideNotification({ event: event(finished) })).toEqual({
      title: 'Nightshift session finished',
      body: '2 done, 1 escalated, 1 deadlocked; branch nightshift/s1.',
    });
    const stopped = decideNotification({ event: event({ ...finished, status: 'stopped', counts: { ...counts, done: 0, deadlocked: 0, escalated: 0 } }) });
    expect(stopped).toEqual({ title: 'Nightshift session stopped', body: 'no task ran; branch nightshift/s1.' });
  });

  it('tells about a task that escalated or deadlocked, with its reason on one line', () => {
    const finished = { at, type: 'task/finished', taskRunId: 3, taskId: 'T2', status: 'escalated', reason: 'Attempts used up:\n  the suite kept failing' };
    expect(decideNotification({ event: event(finished) })).toEqual({ title: 'Task T2 escalated', body: 'Attempts used up: the suite kept failing' });
    expect(decideNotification({ event: event({ ...finished, status: 'deadlocked', reason: 'Same failure twice' }) })).toEqual({
      title: 'Task T2 deadlocked',
      body: 'Same failure twice',
    });
  });

  it('stays quiet for delivered, failed and skipped tasks and for progress events', () => {
    for (const status of ['done', 'failed', 'skipped']) {
      expect(decideNotification({ event: event({ at, type: 'task/finished', taskRunId: 3, taskId: 'T2', status, reason: '' }) })).toBeNull();
    }
    expect(decideNotification({ event: event({ at, type: 'control/state', state: controlState({ state: 'running' }) }) })).toBeNull();
    expect(decideNotification({ event: event({ at, type: 'phase/started', taskRunId: 3, attempt: 1, phase: 'plan' }) })).toBeNull();
  });

  it('tells about an engine crash only when the supervisor gives up restarting it', () => {
    const crashed = { at, type: 'process/crashed', process: 'engine', exitCode: null, signal: 'SIGKILL', detail: 'Crashed 3 times in a row', restarting: true };
    expect(decideNotification({ event: event(crashed) })).toBeNull();
    expect(decideNotification({ event: event({ ...crashed, restarting: false }) })).toEqual({
      title: 'Nightshift engine stopped',
      body: 'Crashed 3 times in a row',
    });
    expect(decideNotification({ event: event({ ...crashed, process: 'model-host', restarting: false }) })).toBeNull();
  });

  it('cuts a long reason to what a notification shows', () => {
    const reason = 'x'.repeat(1000);
    const notice = decideNotification({ event: event({ at, type: 'task/finished', taskRunId: 3, taskId: 'T2', status: 'escalated', reason }) });
    expect(notice?.body).toHaveLength(240);
    expect(notice?.body.endsWith('…')).toBe(true);
  });
});
