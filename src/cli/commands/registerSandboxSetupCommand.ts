import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DependencySetupError } from '../../sandbox/docker/DependencySetupError.js';
import { PYTHON_DEPS_DIR, chooseSetupCommand } from '../../sandbox/docker/chooseSetupCommand.js';
import { dependencyCacheVolume } from '../../sandbox/docker/dependencyCacheVolume.js';
import { ensureSandboxImage } from '../../sandbox/docker/ensureSandboxImage.js';
import { runDependencySetup } from '../../sandbox/docker/runDependencySetup.js';
import { loadProjectConfig } from '../../engine/stack/loadProjectConfig.js';
import { resolveDataDir } from '../../engine/store/resolveDataDir.js';
import { CliUsageError } from '../CliUsageError.js';

/**
 * `nightshift sandbox setup --project DIR --allow-network`: installs the project's dependencies in a one-off
 * Docker container with network, the only Nightshift step that may use it. Without `--allow-network` it
 * refuses before touching Docker. The install writes into the project (`.nightshift-deps` for Python,
 * `node_modules` for Node), which sessions link read-only. Exit 0 when the install exits 0, else 1; the log is kept under
 * `<data-dir>/reports/setup-<timestamp>.log`.
 */
export function registerSandboxSetupCommand(group: Command): void {
  group
    .command('setup')
    .description('install a project\'s dependencies in a one-off container WITH network (needs --allow-network); sessions then run offline')
    .requiredOption('--project <dir>', 'the project whose dependencies are installed')
    .option('--allow-network', 'permit network access for this install; nothing else in Nightshift gets it')
    .option('--data-dir <dir>', 'where Nightshift keeps its data; the log goes to <data-dir>/reports')
    .action(async (flags: { project: string; allowNetwork?: boolean; dataDir?: string }) => {
      const { discoverDockerEndpoint } = await import('../../sandbox/docker/discoverDockerEndpoint.js');
      const projectDir = resolve(flags.project);
      if (!flags.allowNetwork) {
        throw new DependencySetupError({
          code: 'SETUP_NETWORK_NOT_ALLOWED',
          message: 'Dependency setup downloads packages, so it needs network access, and that is never granted implicitly.',
          hint: `Run it again with --allow-network to permit network access for this one install: nightshift sandbox setup --project ${flags.project} --allow-network`,
          projectDir,
        });
      }
      if (!existsSync(projectDir)) throw new CliUsageError({ message: `The project directory ${flags.project} does not exist.`, hint: 'Check the --project path.' });
      const config = await loadProjectConfig({ root: projectDir });
      const chosen = chooseSetupCommand({ projectDir, ...(config.setupCommand !== undefined ? { setupCommand: config.setupCommand } : {}) });
      const { docker } = await discoverDockerEndpoint({ env: process.env, homeDir: homedir(), platform: process.platform });
      const { image } = await ensureSandboxImage({ docker, stack: chosen.stack, onProgress: (line) => process.stdout.write(`  ${line}\n`) });
      const logPath = join(resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}), 'reports', `setup-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
      process.stdout.write(`setup command from ${chosen.source}; log: ${logPath}\n`);
      const { exitCode } = await runDependencySetup({
        docker,
        image,
        projectDir,
        command: chosen.command,
        cacheVolume: dependencyCacheVolume({ projectDir }),
        logPath,
        onLine: (line) => process.stdout.write(`${line}\n`),
      });
      if (exitCode === 0) {
        const where = chosen.stack === 'python' ? `${PYTHON_DEPS_DIR} (on every command's PYTHONPATH)` : 'node_modules (its .bin on every command\'s PATH)';
        process.stdout.write(`setup done: sessions link ${where} read-only into their workspace, in every sandbox\n`);
      }
      process.exitCode = exitCode === 0 ? 0 : 1;
    });
}
