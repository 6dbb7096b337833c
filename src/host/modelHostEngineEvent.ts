import type { ModelHostEvent } from '../runtime/host/ModelHost.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';

/**
 * The engine event the UI shows for something that happened to the model process, or null for what it
 * does not show (a process that became ready). The model host restarts on the next call after a crash,
 * so a crash that is `restarting` is followed by `process/restarted` once the session asks the model again.
 */
export function modelHostEngineEvent(options: {
  event: ModelHostEvent;
  /** Epoch milliseconds. */
  at: number;
  /** The project the session runs on. */
  projectPath: string;
  /** The running session; null before the engine started one. */
  sessionId: string | null;
}): EngineEvent | null {
  const { event, at, projectPath, sessionId } = options;
  switch (event.type) {
    case 'crash': {
      const exit = event.signal ? `signal ${event.signal}` : `exit code ${String(event.exitCode)}`;
      const calls = event.inFlightCalls === 1 ? '1 model call' : `${event.inFlightCalls} model calls`;
      const next = event.restarting
        ? 'the next model call starts it again'
        : 'it crashed too often to be started again; the calls that follow fail';
      return {
        type: 'process/crashed',
        at,
        process: 'model-host',
        projectPath,
        sessionId,
        exitCode: event.exitCode,
        signal: event.signal,
        detail: event.stderrTail?.trim() || `The model process ended (${exit}), taking ${calls} with it; ${next}.`,
        restarting: event.restarting,
      };
    }
    case 'restart':
      return { type: 'process/restarted', at, process: 'model-host', projectPath, sessionId };
    case 'protocol-error':
      return { type: 'log', at, level: 'warn', message: `model host: ${event.error.message}` };
    case 'ready':
      return null;
  }
}
