import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';
import { commandOutput } from './commandOutput.js';
import { cutOutput } from './cutOutput.js';
import { keyErrorLine } from './keyErrorLine.js';

/**
 * A rail detail for a command that did not succeed: the key error line first (it identifies the failure in
 * fingerprints), then the command and how it ended, then its output cut to 8 KB.
 */
export function describeCommandFailure(options: {
  /** What the command was supposed to show, e.g. `the tests fail with the change`. */
  summary: string;
  /** The command as run, shown in the detail. */
  command: string;
  /** The finished command. */
  result: SandboxResult;
}): string {
  const { result } = options;
  const output = commandOutput(result);
  const ended =
    result.outcome === 'timeout'
      ? `timed out after ${result.durationMs} ms`
      : result.outcome === 'exited'
        ? `exit ${result.exitCode}`
        : result.outcome;
  const key = result.outcome === 'timeout' ? `timed out: ${options.command}` : keyErrorLine(output) || `${options.command} ${ended}`;
  return `${key}\n${options.summary}\n$ ${options.command}  (${ended})\n${cutOutput({ text: output })}`;
}
