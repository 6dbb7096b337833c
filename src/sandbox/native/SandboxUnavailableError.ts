import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** A sandbox kind cannot run on this machine (not installed, not supported, or refused by the kernel). */
export class SandboxUnavailableError extends EnvironmentUnavailableError {
  constructor(options: {
    /** The sandbox that is missing. */
    kind: 'docker' | 'bubblewrap' | 'sandbox-exec' | 'native';
    /** Why it cannot run, in one sentence. */
    reason: string;
    /** What the user can do, e.g. the package to install. */
    hint: string;
    /** Values that explain the failure. */
    context?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super({
      component: 'sandbox',
      code: 'SANDBOX_UNAVAILABLE',
      message: `The ${options.kind} sandbox is not available: ${options.reason}`,
      hint: options.hint,
      context: { kind: options.kind, reason: options.reason, ...options.context },
      cause: options.cause,
    });
  }
}
