import type { SessionControlState } from '../../src/shared/sessionControlStateSchema.js';

/** A supervisor state for the project at `projectPath`: idle unless `overrides` says otherwise. */
export function sampleControlState(options: { projectPath: string; overrides?: Partial<SessionControlState> }): SessionControlState {
  return {
    projectPath: options.projectPath,
    state: 'idle',
    sessionId: null,
    startsAt: null,
    until: null,
    task: null,
    engineRestarts: 0,
    error: null,
    updatedAt: Date.now(),
    ...options.overrides,
  };
}
