import type { FailureType } from '../../shared/failureType.js';
import type { SandboxResult } from '../ports/Sandbox.js';
import { commandOutput } from './commandOutput.js';

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
  const missing = missingModules(output);
  if (missing.length === 0) return 'patch';
  const local = localNames(options.localPaths);
  return missing.every((name) => !isLocal(name, local)) ? 'environment' : 'patch';
}

function missingModules(output: string): string[] {
  const names: string[] = [];
  for (const match of output.matchAll(/No module named '([^']+)'/g)) names.push(match[1] as string);
  for (const match of output.matchAll(/cannot import name '[^']+' from '([^']+)'/g)) names.push(match[1] as string);
  for (const match of output.matchAll(/Cannot find (?:module|package) '([^']+)'/g)) names.push(match[1] as string);
  return names;
}

/** Module-ish names a local file answers to: `src/pkg/mod.py` -> `src`, `pkg`, `mod`. */
function localNames(paths: string[]): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    for (const segment of path.split('/')) names.add(segment.replace(/\.[^.]+$/, ''));
  }
  return names;
}

function isLocal(name: string, local: Set<string>): boolean {
  if (name.startsWith('.') || name.startsWith('/') || name.startsWith('file:')) return true;
  const parts = name.split(/[./]/).filter((part) => part !== '' && part !== '@');
  return parts.some((part) => local.has(part.replace(/\.[^.]+$/, '')));
}
