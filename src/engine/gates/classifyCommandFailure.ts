import type { FailureType } from '../../shared/failureType.js';
import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';
import { commandOutput } from './commandOutput.js';
import { onlyDependenciesMissing } from './onlyDependenciesMissing.js';

/**
 * Says why a failed command failed. Timeouts are `timeout`; a missing tool, or a missing module that is not
 * one of the project's own, is `environment`; everything else, including an import of a project module the
 * change forgot to create, is `patch`.
 */
export function classifyCommandFailure(options: {
  /** The finished command. */
  result: SandboxResult;
  /** Workspace-relative paths of the project's files that matter here (changed and planned files). */
  localPaths: string[];
}): FailureType {
  const { result } = options;
  if (result.outcome === 'timeout') return 'timeout';
  if (result.outcome !== 'exited') return 'environment';
  const output = commandOutput(result);
  if (result.exitCode === 126 || result.exitCode === 127 || /command not found|: not found$/m.test(output)) return 'environment';
  return onlyDependenciesMissing({ output, localPaths: options.localPaths }) ? 'environment' : 'patch';
}
