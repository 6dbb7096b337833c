import { NightshiftError } from '../../shared/NightshiftError.js';

/**
 * The project's sandbox image layer (its `sandboxPackages`) could not be built: an environment problem, not
 * something a model's change did or can fix.
 */
export class ProjectImageError extends NightshiftError {
  constructor(options: {
    /**
     * `SANDBOX_PACKAGE_UNAVAILABLE`: the Debian mirror has no such package; `PROJECT_IMAGE_BUILD_FAILED`: the build
     * failed otherwise (mirror unreachable, a dependency conflict).
     */
    code: 'SANDBOX_PACKAGE_UNAVAILABLE' | 'PROJECT_IMAGE_BUILD_FAILED';
    /** Image that was to be built, e.g. `nightshift/project-0123456789ab`. */
    image: string;
    /** The packages asked for. */
    packages: string[];
    /** The packages the mirror does not have, when that is the failure. */
    unavailable?: string[];
    /** What went wrong, completing "Environment problem: ...". */
    problem: string;
    hint: string;
    /** Last lines of build output. */
    buildLog: string[];
    cause?: unknown;
  }) {
    super({
      code: options.code,
      message: `Environment problem: ${options.problem}.`,
      hint: options.hint,
      context: {
        failureType: 'environment',
        image: options.image,
        packages: options.packages,
        ...(options.unavailable ? { unavailable: options.unavailable } : {}),
        buildLog: options.buildLog,
      },
      cause: options.cause,
    });
  }
}
