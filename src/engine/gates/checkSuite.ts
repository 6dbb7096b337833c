import type { ProjectConfig } from '../../shared/projectConfigSchema.js';
import type { RailResult } from '../../shared/railResultSchema.js';
import type { Sandbox } from '../ports/Sandbox.js';
import type { StackProfile } from '../stack/StackProfile.js';
import { classifyCommandFailure } from './classifyCommandFailure.js';
import { describeCommandFailure } from './describeCommandFailure.js';
import { runRailCommand } from './runRailCommand.js';

/** Rail `suite`: the project's whole test command passes with the change. */
export async function checkSuite(options: {
  /** Absolute path of the workspace root, holding the changes applied. */
  workspaceDir: string;
  /** How the project runs and recognises tests. */
  stack: StackProfile;
  /** Where commands run. */
  sandbox: Sandbox;
  /** Parsed nightshift.json: limits (`commandTimeoutMs`, `outputLimitBytes`) and commands. */
  config: ProjectConfig;
  /** Workspace-relative paths used to tell project modules from missing dependencies. */
  localPaths: string[];
  /** Cancels running commands (they end as `cancelled`). */
  signal?: AbortSignal;
}): Promise<RailResult> {
  const command = options.stack.testCommand;
  const result = await runRailCommand({ ...options, command });
  if (result.outcome === 'exited' && result.exitCode === 0) return { name: 'suite', passed: true, detail: `${command} passed` };
  return {
    name: 'suite',
    passed: false,
    failureType: classifyCommandFailure({ result, localPaths: options.localPaths }),
    detail: describeCommandFailure({ summary: 'the test suite fails', command, result }),
  };
}
