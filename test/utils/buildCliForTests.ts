import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest globalSetup: rebuilds the compiled CLI (out/cli) when a source file changed since it was built, so
 * tests that spawn `nightshift` (test/utils/runCli.ts) run current code even when vitest is started
 * directly rather than through `npm test`.
 */
export default function buildCliForTests(): void {
  const script = fileURLToPath(new URL('../../build/scripts/buildCli.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script, '--if-stale'], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`Building the CLI for the tests failed (${result.error?.message ?? `exit code ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
}
