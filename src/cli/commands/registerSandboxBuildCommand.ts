import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ensureSandboxImage } from '../../sandbox/docker/ensureSandboxImage.js';
import { SandboxImageError } from '../../sandbox/docker/SandboxImageError.js';
import type { SandboxStack } from '../../sandbox/docker/sandboxImageName.js';
import { findPackageRoot } from '../../node/findPackageRoot.js';
import { CliUsageError } from '../CliUsageError.js';

const STACKS: SandboxStack[] = ['python', 'node'];

/**
 * `nightshift sandbox build [--stack python|node|all] [--offline]`: makes sure the stacks' sandbox images exist,
 * printing build progress line by line. `--offline` runs resources/sandbox/build-offline.sh instead, which
 * needs no registry (it builds the base from a Debian mirror with debootstrap) and always builds every stack.
 */
export function registerSandboxBuildCommand(group: Command): void {
  group
    .command('build')
    .description('build the Docker sandbox images (already present: reported at once)')
    .option('--stack <stack>', `which image: ${[...STACKS, 'all'].join(', ')}`, 'all')
    .option('--offline', 'build without any container registry via resources/sandbox/build-offline.sh (root and debootstrap; every stack)')
    .action(async (flags: { stack: string; offline?: boolean }) => {
      const { discoverDockerEndpoint } = await import('../../sandbox/docker/discoverDockerEndpoint.js');
      const stacks = flags.stack === 'all' ? STACKS : STACKS.filter((stack) => stack === flags.stack);
      if (stacks.length === 0) {
        throw new CliUsageError({ message: `Unknown stack "${flags.stack}".`, hint: `Use one of: ${[...STACKS, 'all'].join(', ')}.` });
      }
      if (flags.offline) {
        if (flags.stack !== 'all') {
          throw new CliUsageError({ message: `--offline builds every stack, so --stack ${flags.stack} cannot be honoured.`, hint: 'Drop --stack to build offline, or drop --offline to build one stack.' });
        }
        await runOfflineBuild();
        return;
      }
      const { docker, endpoint } = await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform });
      process.stdout.write(`Docker: ${endpoint}\n`);
      for (const stack of stacks) {
        const started = Date.now();
        const { image, built } = await ensureSandboxImage({ docker, stack, onProgress: (line) => process.stdout.write(`  ${line}\n`) });
        process.stdout.write(`${stack}: ${image} ${built ? `built in ${Math.round((Date.now() - started) / 1000)} s` : 'already present'}\n`);
      }
    });
}

/** Runs the offline build script, passing its lines through as they come. */
async function runOfflineBuild(): Promise<void> {
  const root = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
  const script = join(root ?? '.', 'resources', 'sandbox', 'build-offline.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`${line}\n`));
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`${line}\n`));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (exitCode !== 0) {
    throw new SandboxImageError({
      code: 'SANDBOX_IMAGE_BUILD_FAILED',
      image: 'nightshift/sandbox-*',
      problem: `${script} exited with code ${exitCode}`,
      hint: 'Read the sandbox-build lines above: the offline build needs root, debootstrap and a reachable Debian mirror (NIGHTSHIFT_DEBIAN_MIRROR).',
    });
  }
}
