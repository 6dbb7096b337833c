import type { StackProfile } from '../../shared/StackProfile.js';

/**
 * A quick command that succeeds only when the stack's test runner can start where commands run: the
 * runner's `--version` through the same launcher the test command uses, or, for a runner Nightshift does
 * not read, that the test command's program exists.
 */
export function runnerProbeCommand(options: { stack: StackProfile }): string {
  const { stack } = options;
  const command = stack.testCommand.trim();
  if (stack.runner === 'pytest') {
    const python = /(?:^|\s)(\S*python[0-9.]*)\s+-m\s+pytest\b/.exec(command)?.[1];
    return python ? `${python} -m pytest --version` : 'pytest --version';
  }
  if (stack.runner === 'vitest') return /(?:^|\s)npx\s/.test(command) || /^npm\s/.test(command) ? 'npx --no-install vitest --version' : 'vitest --version';
  if (stack.runner === 'node-test') return 'node --version';
  const program = command.split(/\s+/).find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) ?? command;
  return `command -v ${program.replace(/[^A-Za-z0-9_./+-]/g, '')}`;
}
