import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { Sandbox } from '../../shared/sandbox/Sandbox.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { runRailCommand } from './runRailCommand.js';

/** Rails `lint` and `typecheck`: run the configured command; no command configured passes. */
export async function checkCommandRail(options: {
  /** Which rail this is; picks the setting named in details. */
  name: 'lint' | 'typecheck';
  /** The configured command, or undefined when nightshift.json sets none. */
  command: string | undefined;
  /** Absolute path of the workspace root. */
  workspaceDir: string;
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Why commands must not run on these changes; null when they may. */
  skipCommands: string | null;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** Cancels running commands (they end as `cancelled`). */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const { name, command } = options;
  const setting = name === 'lint' ? 'lintCommand' : 'typecheckCommand';
  if (options.skipCommands !== null) {
    return { name, passed: false, skipped: true, detail: `${name} not run${command ? '' : ` (${setting} not configured)`}: ${options.skipCommands}` };
  }
  if (!command) return { name, passed: true, detail: `not configured (set ${setting} in nightshift.json)` };
  const result = await runRailCommand({ ...options, command });
  if (result.outcome === 'exited' && result.exitCode === 0) return { name, passed: true, detail: `${command} passed` };
  return {
    name,
    passed: false,
    failureType: classifyCommandFailure({ result, localPaths: options.localPaths }),
    detail: describeCommandFailure({ summary: `${name} fails`, command, result }),
  };
}
