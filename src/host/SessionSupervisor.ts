import type { ProtocolRequest } from '../shared/protocol.js';
import type { SessionControlState } from '../shared/sessionControlStateSchema.js';

/**
 * Runs sessions in an engine process, one per project at a time, restarting the process when it crashes and
 * resuming the session where the records say. The host's `session/*` messages are answered by it.
 */
export interface SessionSupervisor {
  start(request: ProtocolRequest<'session/start'>): Promise<SessionControlState>;
  pause(request: ProtocolRequest<'session/pause'>): Promise<SessionControlState>;
  resume(request: ProtocolRequest<'session/resume'>): Promise<SessionControlState>;
  stop(request: ProtocolRequest<'session/stop'>): Promise<SessionControlState>;
  /** The state of every project the supervisor knows (or of one). */
  states(request: ProtocolRequest<'session/control'>): SessionControlState[];
  /** True while any session runs, is pausing or stopping, or is scheduled: what a quit must ask about. */
  busy(): boolean;
  /** Stops every session cleanly (the current step finishes and is recorded), then ends the engine processes. */
  dispose(): Promise<void>;
}
