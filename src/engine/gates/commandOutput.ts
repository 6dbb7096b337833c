import type { SandboxResult } from '../../shared/sandbox/Sandbox.js';

/** A command's stdout and stderr as one text, stdout first. */
export function commandOutput(result: SandboxResult): string {
  if (result.stderr === '') return result.stdout;
  if (result.stdout === '') return result.stderr;
  return `${result.stdout.replace(/\n?$/, '\n')}${result.stderr}`;
}
