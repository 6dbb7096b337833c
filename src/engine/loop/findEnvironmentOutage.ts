import { EnvironmentUnavailableError } from '../../shared/EnvironmentUnavailableError.js';
import type { FailureType } from '../../shared/failureType.js';
import type { PreflightCheck } from '../preflight/PreflightCheck.js';

/**
 * Whether a failed attempt failed because of the environment rather than the model: an error the
 * environment's own code raised (model transport, model process), or an `environment` failure (a command
 * that could not start, a missing runner or dependency) that the re-check confirms, since a change can
 * also import a package nobody declared. Returns the error to pause the session with, or null.
 */
export async function findEnvironmentOutage(options: {
  /** What ended the attempt. */
  error: unknown;
  /** The failure type the attempt would be recorded with. */
  failureType: FailureType;
  /** Re-runs the cheap environment checks: the first that fails, or null when all pass. */
  recheck?: () => Promise<PreflightCheck | null>;
}): Promise<EnvironmentUnavailableError | null> {
  if (options.error instanceof EnvironmentUnavailableError) return options.error;
  if (options.failureType !== 'environment' || !options.recheck) return null;
  const failed = await options.recheck();
  if (!failed) return null;
  return new EnvironmentUnavailableError({
    component: failed.component ?? 'sandbox',
    message: `${failed.title} failed: ${failed.detail.split('\n')[0] ?? ''}`,
    hint: failed.fix,
    context: { check: failed.id },
  });
}
