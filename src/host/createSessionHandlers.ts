import type { HostContext } from './HostContext.js';
import type { HostHandlers } from './HostHandlers.js';
import type { SessionSupervisor } from './SessionSupervisor.js';
import { SessionsUnavailableError } from './SessionsUnavailableError.js';

type SessionHandlers = Pick<HostHandlers, 'session/start' | 'session/pause' | 'session/resume' | 'session/stop' | 'session/control'>;

/** The `session/*` control messages, answered by the supervisor after the project guard. */
export function createSessionHandlers(options: {
  context: HostContext;
  /** Null in a host that cannot run sessions: every control message but `session/control` is refused. */
  supervisor: SessionSupervisor | null;
}): SessionHandlers {
  const { context, supervisor } = options;
  const required = (name: string): SessionSupervisor => {
    if (!supervisor) throw new SessionsUnavailableError({ name });
    return supervisor;
  };
  const guarded = <R extends { projectPath: string }>(request: R): R => ({ ...request, projectPath: context.openedProject(request.projectPath).path });
  // The guard runs first, so a path outside the opened projects is refused as such by every host.
  const control = <R extends { projectPath: string }, T>(name: string, request: R, act: (running: SessionSupervisor, checked: R) => T): T => {
    const checked = guarded(request);
    return act(required(name), checked);
  };
  return {
    'session/start': (request) => control('session/start', request, (running, checked) => running.start(checked)),
    'session/pause': (request) => control('session/pause', request, (running, checked) => running.pause(checked)),
    'session/resume': (request) => control('session/resume', request, (running, checked) => running.resume(checked)),
    'session/stop': (request) => control('session/stop', request, (running, checked) => running.stop(checked)),
    'session/control': (request) => {
      const scope = request.projectPath === undefined ? {} : guarded({ projectPath: request.projectPath });
      return supervisor ? supervisor.states(scope) : [];
    },
  };
}
