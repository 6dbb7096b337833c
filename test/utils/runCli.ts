import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Path of the `nightshift` bin that npm installs: it runs the compiled CLI in out/cli, which the vitest
 * globalSetup (test/utils/buildCliForTests.ts) rebuilds when a source file changed.
 */
export const CLI_BIN = fileURLToPath(new URL('../../bin/nightshift.mjs', import.meta.url));

/** Runs the real `nightshift` CLI in a child process and returns its exit code and output. */
export function runCli(options: {
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Milliseconds before the child is killed. Default 300000. */
  timeoutMs?: number;
}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI_BIN, ...options.args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
