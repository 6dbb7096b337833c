import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * A sandbox was asked to expose something its policy forbids: a workspace or read-only directory that is
 * the file-system root, the user's home or a directory holding it, or a run outside the sandbox's workspace.
 */
export class SandboxPolicyError extends NightshiftError {
  constructor(options: {
    /** The offending path. */
    path: string;
    /** Why it is refused. */
    reason: string;
  }) {
    super({
      code: 'SANDBOX_POLICY',
      message: `The sandbox refuses ${options.path}: ${options.reason}`,
      hint: 'Give the sandbox a dedicated workspace directory (e.g. a temporary or data directory) and run commands only inside it.',
      context: { path: options.path, reason: options.reason },
    });
  }
}
