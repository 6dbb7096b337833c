import { sessionControlStateSchema, type SessionControlState } from '../../src/shared/sessionControlStateSchema.js';

/** A valid `control/state` payload for one project, idle unless `overrides` say otherwise. */
export function sampleControlState(overrides: Partial<SessionControlState> = {}): SessionControlState {
  return sessionControlStateSchema.parse({
    projectPath: '/home/dev/calculator',
    state: 'idle',
    sessionId: null,
    startsAt: null,
    until: null,
    task: null,
    engineRestarts: 0,
    error: null,
    updatedAt: 1_764_000_000_000,
    ...overrides,
  });
}
