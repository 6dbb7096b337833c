import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox, SandboxResult } from '../../shared/sandbox/Sandbox.js';

/**
 * Runs one rail command in the workspace with the project's limits. Bytecode writing is off so Python runs
 * leave no `__pycache__` behind and a reverted module cannot linger as a stale cache.
 */
export function runRailCommand(options: {
  /** Where commands run. */
  sandbox: Sandbox;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Shell command, run with `/bin/sh -c`. */
  command: string;
  /** Cancels running commands (they end as `cancelled`). */
  signal?: AbortSignal;
}): Promise<SandboxResult> {
  return options.sandbox.run({
    command: options.command,
    workspaceDir: options.workspaceDir,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
    timeoutMs: options.config.commandTimeoutMs,
    outputLimitBytes: options.config.outputLimitBytes,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
