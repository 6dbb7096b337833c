import { describe, expect, it } from 'vitest';
import { describeTrayStatus, type TrayAction } from '../../../src/main/describeTrayStatus.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

const controlState = (overrides: Partial<SessionControlState> = {}) => sampleControlState({ projectPath: '/home/dev/calculator', overrides });

const task = { index: 2, total: 5, taskRunId: 12, taskId: 'T2', title: 'Format quotients' };
const enabled = (status: ReturnType<typeof describeTrayStatus>): TrayAction[] =>
  status.items.filter((item) => item.enabled).map((item) => item.action);

describe('describeTrayStatus', () => {
  it('says idle with only Show window and Quit enabled when nothing runs', () => {
    const status = describeTrayStatus({ states: [controlState()], lastEnd: null });
    expect(status.text).toBe('Idle');
    expect(status.items.map((item) => item.action)).toEqual(['show', 'pause', 'stop', 'quit']);
    expect(enabled(status)).toEqual(['show', 'quit']);
  });

  it('says idle when the last session completed, and stopped when it was stopped', () => {
    expect(describeTrayStatus({ states: [], lastEnd: 'completed' }).text).toBe('Idle');
    expect(describeTrayStatus({ states: [], lastEnd: 'stopped' }).text).toBe('Stopped');
    expect(describeTrayStatus({ states: [], lastEnd: 'failed' }).text).toBe('Stopped: the session failed');
  });

  it('names the error of the project that failed last', () => {
    const error = { name: 'NightshiftError', code: 'ENGINE_CRASHED', message: 'The engine crashed 3 times', hint: 'See the log.', context: {} };
    const older = { ...error, message: 'Preflight blocked' };
    const status = describeTrayStatus({
      states: [controlState({ projectPath: '/a', error: older, updatedAt: 1 }), controlState({ projectPath: '/b', error, updatedAt: 2 })],
      lastEnd: null,
    });
    expect(status.text).toBe('Stopped: The engine crashed 3 times');
  });

  it('says which task of how many runs, and offers Pause and Stop for that project', () => {
    const status = describeTrayStatus({ states: [controlState({ state: 'running', sessionId: 's1', task })], lastEnd: 'stopped' });
    expect(status.text).toBe('Running task 2 of 5');
    expect(enabled(status)).toEqual(['show', 'pause', 'stop', 'quit']);
    expect(status.pausable).toEqual(['/home/dev/calculator']);
    expect(status.stoppable).toEqual(['/home/dev/calculator']);
    expect(status.resumable).toEqual([]);
  });

  it('offers Resume instead of Pause when the only session is paused', () => {
    const status = describeTrayStatus({ states: [controlState({ state: 'paused', sessionId: 's1' })], lastEnd: null });
    expect(status.text).toBe('Paused');
    expect(status.items[1]).toEqual({ action: 'resume', label: 'Resume', enabled: true });
    expect(status.resumable).toEqual(['/home/dev/calculator']);
    expect(status.stoppable).toEqual(['/home/dev/calculator']);
  });

  it('does not offer Pause or Stop again while the current step finishes', () => {
    const pausing = describeTrayStatus({ states: [controlState({ state: 'pausing', task })], lastEnd: null });
    expect(pausing.text).toBe('Pausing after the current step');
    expect(enabled(pausing)).toEqual(['show', 'stop', 'quit']);
    const stopping = describeTrayStatus({ states: [controlState({ state: 'stopping', task })], lastEnd: null });
    expect(stopping.text).toBe('Stopping after the current step');
    expect(enabled(stopping)).toEqual(['show', 'quit']);
  });

  it('shows a scheduled start time through the given formatter', () => {
    const status = describeTrayStatus({
      states: [controlState({ state: 'scheduled', startsAt: 1_764_025_200_000 })],
      lastEnd: null,
      formatTime: (epochMs) => (epochMs === 1_764_025_200_000 ? '23:00' : 'wrong time'),
    });
    expect(status.text).toBe('Scheduled for 23:00');
    expect(status.pausable).toEqual([]);
    expect(status.stoppable).toEqual(['/home/dev/calculator']);
  });

  it('names the project that needs attention first and counts the others', () => {
    const status = describeTrayStatus({
      states: [
        controlState({ projectPath: '/a', state: 'scheduled', startsAt: 1 }),
        controlState({ projectPath: '/b', state: 'restarting', engineRestarts: 1 }),
        controlState({ projectPath: '/c', state: 'idle' }),
        controlState({ projectPath: '/d', state: 'running', task }),
      ],
      lastEnd: null,
    });
    expect(status.text).toBe('Restarting the engine (+2 more)');
    expect(status.pausable).toEqual(['/b', '/d']);
    expect(status.stoppable).toEqual(['/b', '/d', '/a']);
  });
});
