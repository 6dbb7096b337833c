import type { EnvironmentComponent } from '../../shared/EnvironmentUnavailableError.js';
import { NightshiftError } from '../../shared/NightshiftError.js';
import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { ModelClient } from '../../shared/model/ModelClient.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { checkModels } from './checkModels.js';
import { checkSandboxEnvironment } from './checkSandboxEnvironment.js';
import type { PreflightCheck } from './PreflightCheck.js';

/** During a night a model that answers nothing in this long counts as still down. */
const MODEL_TIMEOUT_MS = 120_000;

/**
 * The preflight checks for one part of the environment, re-run during a night: the model roles for
 * `model`; the sandbox, runner and declared dependencies otherwise. A sandbox that cannot run commands is
 * restarted once (a container gone with a restarted Docker daemon) before it is checked again. Returns the
 * first failed check, or null when that part works.
 */
export async function recheckEnvironment(options: {
  component: EnvironmentComponent;
  models: ModelClient;
  sandbox: Sandbox;
  workspaceDir: string;
  config: ProjectConfig;
  stack: StackProfile;
  /** Replaces the session's sandbox with a fresh one. */
  restartSandbox?: () => Promise<void>;
  signal?: AbortSignal;
}): Promise<PreflightCheck | null> {
  const signal = options.signal ? { signal: options.signal } : {};
  if (options.component === 'model') {
    const checks = await checkModels({ models: options.models, timeoutMs: MODEL_TIMEOUT_MS, ...signal });
    return checks.find((check) => check.status === 'failed') ?? null;
  }
  let checks = await checkSandboxEnvironment({ ...options, ...signal });
  if (options.restartSandbox && checks.some((check) => check.id === 'sandbox' && check.status === 'failed')) {
    try {
      await options.restartSandbox();
    } catch (error) {
      return {
        id: 'sandbox',
        title: 'sandbox runs commands',
        status: 'failed',
        component: 'sandbox',
        detail: `a new sandbox could not start: ${error instanceof Error ? error.message : String(error)}`,
        fix: error instanceof NightshiftError ? error.hint : 'Check the sandbox with `nightshift sandbox doctor`.',
      };
    }
    checks = await checkSandboxEnvironment({ ...options, ...signal });
  }
  return checks.find((check) => check.status === 'failed') ?? null;
}
