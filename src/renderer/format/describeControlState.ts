import type { SessionControlState } from '../../shared/sessionControlStateSchema.js';
import { formatClockTime } from './formatClockTime.js';
import type { Tone } from './statusTone.js';

/**
 * What the supervisor is doing for a project in a few words, e.g. `running task 2 of 5`, `scheduled for
 * 23:00`, `paused`, with the colour family to show it in; null (nothing known) reads as idle.
 */
export function describeControlState(options: {
  state: SessionControlState | null;
}): { label: string; tone: Tone } {
  const { state } = options;
  switch (state?.state ?? 'idle') {
    case 'idle':
      return state?.error ? { label: 'stopped with an error', tone: 'err' } : { label: 'idle', tone: 'muted' };
    case 'scheduled':
      return { label: state?.startsAt == null ? 'scheduled' : `scheduled for ${formatClockTime({ at: state.startsAt })}`, tone: 'esc' };
    case 'starting':
      return { label: 'starting…', tone: 'run' };
    case 'running':
      return { label: state?.task ? `running task ${state.task.index} of ${state.task.total}` : 'running', tone: 'run' };
    case 'pausing':
      return { label: 'pausing after this step…', tone: 'warn' };
    case 'paused':
      return { label: 'paused', tone: 'warn' };
    case 'stopping':
      return { label: 'stopping after this step…', tone: 'warn' };
    case 'restarting':
      return { label: 'restarting the engine…', tone: 'warn' };
  }
}

