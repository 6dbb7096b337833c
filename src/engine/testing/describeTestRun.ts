import { cutOutput } from '../gates/cutOutput.js';
import { commandOutput } from '../gates/commandOutput.js';
import type { TestRun } from './TestRun.js';

/** How a test run ended and its output, cut to 8 KB: the tail of a rail's detail under its findings. */
export function describeTestRun(run: TestRun): string {
  const { result } = run;
  const ended =
    result.outcome === 'timeout' ? `timed out after ${result.durationMs} ms` : result.outcome === 'exited' ? `exit ${result.exitCode}` : result.outcome;
  return `$ ${run.command}  (${ended})\n${cutOutput({ text: commandOutput(result) })}`;
}
