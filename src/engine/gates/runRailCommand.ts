import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { Sandbox, SandboxResult } from '../../shared/sandbox/Sandbox.js';
import { NO_BYTECODE_ENVIRONMENT } from '../testing/NO_BYTECODE_ENVIRONMENT.js';

/**
 * Runs one rail command in the workspace with the project's limits. Python bytecode is neither written nor
 * read from the sandbox's cache (see NO_BYTECODE_ENVIRONMENT).
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
    env: { ...NO_BYTECODE_ENVIRONMENT },
    timeoutMs: options.config.commandTimeoutMs,
    outputLimitBytes: options.config.outputLimitBytes,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
