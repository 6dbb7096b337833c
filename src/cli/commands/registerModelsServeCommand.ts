import { resolve } from 'node:path';
import type { Command } from 'commander';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import type { JsonModelBackend } from '../../runtime/backend/JsonModelBackend.js';
import { createJsonBackendFromModelClient } from '../../runtime/http/createJsonBackendFromModelClient.js';
import { createOpenAiServer } from '../../runtime/http/createOpenAiServer.js';
import { generateServeToken } from '../../runtime/http/generateServeToken.js';
import { loadScriptedModels } from '../../runtime/scripted/loadScriptedModels.js';
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
    .requiredOption('--models <spec>', 'the models to serve: scripted:FILE')
    .option('--port <n>', 'TCP port on 127.0.0.1; 0 picks a free one', parsePort, 0)
    .option('--token <token>', 'bearer token clients must send (default: NIGHTSHIFT_SERVE_TOKEN, else a random one)')
    .action(async (flags: { models: string; port: number; token?: string }) => {
      const token = flags.token || process.env.NIGHTSHIFT_SERVE_TOKEN || generateServeToken();
      const backend = await backendFromSpec(flags.models);
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

async function backendFromSpec(spec: string): Promise<JsonModelBackend> {
  const [kind, ...rest] = spec.split(':');
  const argument = rest.join(':');
  if (kind === 'scripted' && argument) {
    return createJsonBackendFromModelClient({ client: await loadScriptedModels({ path: resolve(process.cwd(), argument) }) });
  }
  throw new CliUsageError({
    message: `Cannot serve the models "${spec}".`,
    hint: 'Use --models scripted:FILE (a JSON script of answers per task and phase).',
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
