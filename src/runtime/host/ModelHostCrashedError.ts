import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/**
 * The model host process died (a llama.cpp crash, an out-of-memory kill, a signal) while a call was in
 * flight. Retryable: the host starts a fresh process on the next call.
 */
export class ModelHostCrashedError extends EnvironmentUnavailableError {
  /** The call can be made again; the next call restarts the model process. */
  readonly retryable = true;

  constructor(options: {
    /** The role of the call the crash cut short; null when it happened while starting, before any call. */
    role: string | null;
    /** The prompt id of that call; null with a null role. */
    promptId: string | null;
    /** The dead process's id, when it got one. */
    pid: number | null;
    /** Its exit code, or null when a signal ended it. */
    exitCode: number | null;
    /** The signal that ended it, e.g. `SIGKILL` (the usual sign of an out-of-memory kill), or null. */
    signal: string | null;
    /** The last lines the process wrote to stderr, when the spawner captured them. */
    stderrTail?: string;
    /** Why the process was lost when it was not a plain exit, e.g. a startup timeout. */
    reason?: string;
    cause?: unknown;
  }) {
    const how = options.signal ? `was killed by ${options.signal}` : `exited with code ${String(options.exitCode)}`;
    super({
      component: 'model',
      code: 'MODEL_HOST_CRASHED',
      message: `The model process${options.pid === null ? '' : ` (pid ${options.pid})`} ${how} ${options.role === null ? 'while starting' : `during the ${options.role} call for ${options.promptId}`}${options.reason ? ` (${options.reason})` : ''}.`,
      hint: 'The call can be retried: the next call starts a fresh model process. Repeated SIGKILLs usually mean out of memory: use a smaller model or context size, or offload fewer GPU layers.',
      context: {
        role: options.role,
        promptId: options.promptId,
        pid: options.pid,
        exitCode: options.exitCode,
        signal: options.signal,
        ...(options.stderrTail ? { stderrTail: options.stderrTail } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
        retryable: true,
      },
      cause: options.cause,
    });
  }
}
