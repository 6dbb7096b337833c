import { resolve } from 'node:path';
import type { Command } from 'commander';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import type { JsonModelBackend } from '../../runtime/backend/JsonModelBackend.js';
import { createJsonBackendFromModelClient } from '../../runtime/http/createJsonBackendFromModelClient.js';
import { createOpenAiServer } from '../../runtime/http/createOpenAiServer.js';
import { generateServeToken } from '../../runtime/http/generateServeToken.js';
import { loadScriptedModels } from '../../runtime/scripted/loadScriptedModels.js';
import { resolveDataDir } from '../../engine/store/resolveDataDir.js';
import { checkProfileOption } from '../checkProfileOption.js';
import { CliUsageError } from '../CliUsageError.js';

/**
 * `nightshift models serve`: Nightshift's models as an OpenAI-compatible endpoint on 127.0.0.1, so
 * another machine (through an SSH tunnel) or any OpenAI client can use them. Runs until SIGINT or
 * SIGTERM, then closes the server and the models and exits 0.
 */
export function registerModelsServeCommand(models: Command): void {
  models
    .command('serve')
    .description('serve the models as an OpenAI-compatible endpoint on 127.0.0.1 (bearer token required) until Ctrl-C')
    .requiredOption('--models <spec>', 'the models to serve: local (the memory-tier profile), local:FILE.gguf or scripted:FILE')
    .option('--profile <id>', 'model profile for --models local (default: the largest tier that fits this machine)')
    .option('--data-dir <dir>', 'where Nightshift keeps its data; --models local finds models in <data-dir>/models')
    .option('--port <n>', 'TCP port on 127.0.0.1; 0 picks a free one', parsePort, 0)
    .option('--token <token>', 'bearer token clients must send (default: NIGHTSHIFT_SERVE_TOKEN, else a random one)')
    .action(async (flags: ServeFlags) => {
      checkProfileOption({ models: flags.models, profile: flags.profile });
      const token = flags.token || process.env.NIGHTSHIFT_SERVE_TOKEN || generateServeToken();
      const backend = await backendFromSpec(flags);
      const modelIds = Object.fromEntries(modelRoleSchema.options.map((role) => [role, backend.describe(role).model])) as Record<ModelRole, string>;
      let server;
      try {
        server = await createOpenAiServer({ backend, modelIds, token, port: flags.port });
      } catch (error) {
        await backend.dispose();
        throw error;
      }
      process.stdout.write(
        [
          `Serving models at ${server.url}`,
          ...modelRoleSchema.options.map((role) => `  ${role.padEnd(5)} ${modelIds[role]}`),
          `Token: ${token}`,
          'Stop with Ctrl-C.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      await backend.dispose();
      process.stdout.write('Stopped.\n');
    });
}

interface ServeFlags {
  models: string;
  port: number;
  token?: string;
  profile?: string;
  dataDir?: string;
}

/** The model host is itself a JsonModelBackend, so local models are served straight from it. */
async function backendFromSpec(flags: ServeFlags): Promise<JsonModelBackend> {
  const spec = flags.models;
  const [kind, ...rest] = spec.split(':');
  const argument = rest.join(':');
  if (kind === 'scripted' && argument) {
    return createJsonBackendFromModelClient({ client: await loadScriptedModels({ path: resolve(process.cwd(), argument) }) });
  }
  if (kind === 'local') {
    const { createLocalModelHost } = await import('../createLocalModelHost.js');
    const host = await createLocalModelHost({
      modelPath: argument,
      cwd: process.cwd(),
      dataDir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}),
      ...(flags.profile ? { profileId: flags.profile } : {}),
    });
    // Load now, so a model that cannot load fails the command before it prints a URL.
    try {
      await host.start();
    } catch (error) {
      await host.dispose();
      throw error;
    }
    return host;
  }
  throw new CliUsageError({
    message: `Cannot serve the models "${spec}".`,
    hint: 'Use --models local (the memory-tier profile), --models local:FILE.gguf (one GGUF for every role) or --models scripted:FILE (a JSON script of answers per task and phase).',
    context: { spec },
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError({ message: `--port must be a whole number from 0 to 65535, not "${value}".`, hint: 'Use --port 0 for any free port.' });
  }
  return port;
}
