import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';

/** The sandbox container for a session could not be created or started. */
export class DockerSandboxError extends EnvironmentUnavailableError {
  constructor(options: {
    /** Image the container was to run. */
    image: string;
    /** Host directory that was to be mounted at /workspace. */
    workspaceDir: string;
    /** What failed, completing "Could not start the sandbox container: ...". */
    problem: string;
    hint: string;
    cause?: unknown;
  }) {
    super({
      component: 'sandbox',
      code: 'DOCKER_SANDBOX_FAILED',
      message: `Could not start the sandbox container: ${options.problem}.`,
      hint: options.hint,
      context: { image: options.image, workspaceDir: options.workspaceDir, problem: options.problem },
      cause: options.cause,
    });
  }
}
