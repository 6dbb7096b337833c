import type { EngineEvent } from '../shared/engineEventSchema.js';
import type { SessionControlState } from '../shared/sessionControlStateSchema.js';

/** What a tray menu item does when clicked. */
export type TrayAction = 'show' | 'pause' | 'resume' | 'stop' | 'quit';

/** One item of the tray's menu. */
export interface TrayMenuItem {
  action: TrayAction;
  label: string;
  enabled: boolean;
}

/** The tray's status line and menu, and the projects its Pause, Resume and Stop items act on. */
export interface TrayStatus {
  /** One short line for the menu bar and the tooltip, e.g. `Running task 2 of 5`. */
  text: string;
  items: TrayMenuItem[];
  /** Projects (real paths) whose sessions Pause pauses. */
  pausable: string[];
  /** Projects whose paused sessions Resume resumes. */
  resumable: string[];
  /** Projects whose sessions Stop stops. */
  stoppable: string[];
}

/** How a session ended, as its `session/finished` event says. */
export type SessionEndStatus = Extract<EngineEvent, { type: 'session/finished' }>['status'];

type ControlStateName = SessionControlState['state'];

/** Which project's state names the tray when several are active: the one that needs attention first. */
const PRIORITY: readonly ControlStateName[] = ['restarting', 'running', 'pausing', 'stopping', 'starting', 'paused', 'scheduled'];
const PAUSABLE: ReadonlySet<ControlStateName> = new Set(['starting', 'running', 'restarting']);
const STOPPABLE: ReadonlySet<ControlStateName> = new Set(['scheduled', 'starting', 'running', 'pausing', 'paused', 'restarting']);

/**
 * The tray's text and menu for the supervisor's states (idle, running task N of M, paused, stopped): the
 * Electron main process only renders what this returns, so what the tray says is tested without Electron.
 */
export function describeTrayStatus(options: {
  /** The supervisor's state of every project it knows, as the last `control/state` events left them. */
  states: readonly SessionControlState[];
  /** How the last session ended, from its `session/finished` event; null when none ended since the app started. */
  lastEnd: SessionEndStatus | null;
  /** Writes a scheduled start time. Default: the system locale's hours and minutes. */
  formatTime?: (epochMs: number) => string;
}): TrayStatus {
  const formatTime =
    options.formatTime ?? ((epochMs: number) => new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
  const active = options.states
    .filter((state) => state.state !== 'idle')
    .sort((a, b) => PRIORITY.indexOf(a.state) - PRIORITY.indexOf(b.state));
  const pausable = active.filter((state) => PAUSABLE.has(state.state)).map((state) => state.projectPath);
  const resumable = active.filter((state) => state.state === 'paused').map((state) => state.projectPath);
  const stoppable = active.filter((state) => STOPPABLE.has(state.state)).map((state) => state.projectPath);

  const [first] = active;
  let text: string;
  if (first) {
    text = describeActive(first, formatTime);
    if (active.length > 1) text += ` (+${active.length - 1} more)`;
  } else {
    text = describeIdle(options.states, options.lastEnd);
  }

  const items: TrayMenuItem[] = [
    { action: 'show', label: 'Show window', enabled: true },
    resumable.length > 0 && pausable.length === 0
      ? { action: 'resume', label: 'Resume', enabled: true }
      : { action: 'pause', label: 'Pause after the current step', enabled: pausable.length > 0 },
    { action: 'stop', label: 'Stop after the current step', enabled: stoppable.length > 0 },
    { action: 'quit', label: 'Quit Nightshift', enabled: true },
  ];
  return { text, items, pausable, resumable, stoppable };
}

function describeActive(state: SessionControlState, formatTime: (epochMs: number) => string): string {
  switch (state.state) {
    case 'running':
      return state.task ? `Running task ${state.task.index} of ${state.task.total}` : 'Running';
    case 'scheduled':
      return state.startsAt === null ? 'Scheduled' : `Scheduled for ${formatTime(state.startsAt)}`;
    case 'starting':
      return 'Starting';
    case 'pausing':
      return 'Pausing after the current step';
    case 'paused':
      return 'Paused';
    case 'stopping':
      return 'Stopping after the current step';
    case 'restarting':
      return 'Restarting the engine';
    case 'idle':
      return 'Idle';
  }
}

function describeIdle(
  states: readonly SessionControlState[],
  lastEnd: SessionEndStatus | null,
): string {
  const failed = states
    .filter((state) => state.error !== null)
    .sort((a, b) => b.updatedAt - a.updatedAt)[0];
  if (failed?.error) return `Stopped: ${failed.error.message}`;
  if (lastEnd === 'stopped') return 'Stopped';
  if (lastEnd === 'failed' || lastEnd === 'blocked') return `Stopped: the session ${lastEnd === 'failed' ? 'failed' : 'was blocked'}`;
  return 'Idle';
}
