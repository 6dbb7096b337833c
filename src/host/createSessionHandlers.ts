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
  return {
    'session/start': (request) => required('session/start').start(guarded(request)),
    'session/pause': (request) => required('session/pause').pause(guarded(request)),
    'session/resume': (request) => required('session/resume').resume(guarded(request)),
    'session/stop': (request) => required('session/stop').stop(guarded(request)),
    'session/control': (request) => {
      if (!supervisor) return [];
      return supervisor.states(request.projectPath === undefined ? {} : guarded({ projectPath: request.projectPath }));
    },
  };
}
