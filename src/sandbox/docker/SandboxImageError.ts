import { NightshiftError } from '../../shared/NightshiftError.js';

/** A sandbox image is missing and could not be built. */
export class SandboxImageError extends NightshiftError {
  constructor(options: {
    /** `SANDBOX_DOCKERFILE_MISSING`, `SANDBOX_BASE_IMAGE_MISSING` or `SANDBOX_IMAGE_BUILD_FAILED`. */
    code: 'SANDBOX_DOCKERFILE_MISSING' | 'SANDBOX_BASE_IMAGE_MISSING' | 'SANDBOX_IMAGE_BUILD_FAILED';
    /** Image that was wanted, e.g. `nightshift/sandbox-python:0123456789ab`. */
    image: string;
    /** What went wrong, completing "Sandbox image <image> is not available: ...". */
    problem: string;
    hint: string;
    /** Last lines of build output, when a build ran. */
    buildLog?: string[];
    cause?: unknown;
  }) {
    super({
      code: options.code,
      message: `Sandbox image ${options.image} is not available: ${options.problem}.`,
      hint: options.hint,
      context: { image: options.image, problem: options.problem, ...(options.buildLog ? { buildLog: options.buildLog } : {}) },
      cause: options.cause,
    });
  }
}
