import type { Command } from 'commander';
import { CliUsageError } from '../CliUsageError.js';

/** `nightshift serve`: the app in a browser, from a server on 127.0.0.1 guarded by an access token. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (reach it from another machine over an SSH tunnel)')
    .option('--port <n>', 'port on 127.0.0.1; 0 picks a free one', (value) => parsePort(value), 0)
    .option('--project <dir>', 'open this project at start')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .option('--renderer-dir <dir>', 'the built renderer to serve (default: out/renderer of this install)')
    .action(async (flags: { port: number; project?: string; dataDir?: string; rendererDir?: string }) => {
      const { randomBytes } = await import('node:crypto');
      const { existsSync } = await import('node:fs');
      const { join, resolve } = await import('node:path');
      const { fileURLToPath } = await import('node:url');
      const { findPackageRoot } = await import('../../node/findPackageRoot.js');
      const { createMainHost } = await import('../../host/createMainHost.js');
      const { createEngineSupervisor } = await import('../../host/createEngineSupervisor.js');
      const { forkEngineProcess } = await import('../../host/forkEngineProcess.js');
      const { startProtocolServer } = await import('../../host/startProtocolServer.js');
      const { RendererNotBuiltError } = await import('../RendererNotBuiltError.js');
      const { simulateAppleSiliconMachine } = await import('../../runtime/placement/simulateAppleSiliconMachine.js');

      const packageRoot = findPackageRoot({ from: fileURLToPath(new URL('.', import.meta.url)) });
      const staticDir = resolve(flags.rendererDir ?? join(packageRoot ?? process.cwd(), 'out', 'renderer'));
      if (!existsSync(join(staticDir, 'index.html'))) throw new RendererNotBuiltError({ dir: staticDir, packageRoot });

      // Sessions run in an engine child process, as in the app; Ctrl-C lets each finish its current step.
      // For browser tests and demos: the Models view plans for an Apple Silicon Mac with this much memory.
      const simulatedGb = process.env['NIGHTSHIFT_SIMULATE_MEMORY_GB'];
      const simulated = simulatedGb === undefined ? undefined : simulateAppleSiliconMachine({ memoryBytes: parseSimulatedMemory(simulatedGb) });
      const host = createMainHost({
        ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
        ...(simulated ? { machine: { totalMemoryBytes: simulated.totalMemoryBytes, metalWorkingSetBytes: simulated.metalWorkingSetBytes! } } : {}),
        createSupervisor: (context) => createEngineSupervisor({ context, spawnEngine: forkEngineProcess() }),
      });
      try {
        if (flags.project !== undefined) {
          const opened = await host.handle('project/open', { path: resolve(flags.project) });
          if (!opened.ok) {
            throw new CliUsageError({ message: `--project: ${opened.error.message}`, hint: opened.error.hint, context: { project: flags.project } });
          }
          process.stdout.write(`Project: ${opened.value.path}\n`);
        }
        // 128 bits: the token is the only thing between any local process (or web page) and the host.
        const token = randomBytes(16).toString('base64url');
        const server = await startProtocolServer({ staticDir, token, port: flags.port, handle: (name, request) => host.handle(name, request) });
        const stopEvents = host.onEvent((event) => server.push(event));
        process.stdout.write(`Nightshift is served at ${server.url}\nPress Ctrl-C to stop.\n`);
        await new Promise<void>((resolveStop) => {
          process.once('SIGINT', resolveStop);
          process.once('SIGTERM', resolveStop);
        });
        process.stdout.write('Stopping: running sessions finish their current step first.\n');
        await host.dispose();
        stopEvents();
        await server.close();
        process.stdout.write('Stopped.\n');
      } catch (error) {
        await host.dispose();
        throw error;
      }
    });
}

/** `NIGHTSHIFT_SIMULATE_MEMORY_GB` in bytes (a "GB" Mac has that many GiB). */
function parseSimulatedMemory(value: string): number {
  const gb = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(gb) || gb < 1 || gb > 1024) {
    throw new CliUsageError({
      message: `NIGHTSHIFT_SIMULATE_MEMORY_GB must be a whole number of GB from 1 to 1024, not "${value}".`,
      hint: 'For example NIGHTSHIFT_SIMULATE_MEMORY_GB=24, or unset it to plan for this machine.',
      context: { variable: 'NIGHTSHIFT_SIMULATE_MEMORY_GB', value },
    });
  }
  return gb * 1024 ** 3;
}

function parsePort(value: string): number {
  const port = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(port) || port > 65535) {
    throw new CliUsageError({ message: `--port must be a whole number from 0 to 65535, not "${value}".`, hint: 'For example --port 8080, or --port 0 for a free one.', context: { flag: '--port', value } });
  }
  return port;
}
