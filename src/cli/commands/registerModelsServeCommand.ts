import type { Command } from 'commander';
import { modelRoleSchema, type ModelRole } from '../../shared/modelRole.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { createOpenAiServer } from '../../runtime/http/createOpenAiServer.js';
import { generateServeToken } from '../../runtime/http/generateServeToken.js';
import { createModelBackend } from '../../runtime/models/createModelBackend.js';
import type { ModelsSpec } from '../../runtime/models/ModelsSpec.js';
import { ModelsSpecError } from '../../runtime/models/ModelsSpecError.js';
import { parseModelsSpec } from '../../runtime/models/parseModelsSpec.js';
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

/**
 * The backend to serve, from the one spec parser and registry. An OpenAI-compatible endpoint is refused
 * here: serving it would only relay another server. Local models load before the URL is printed, so
 * one that cannot load fails the command.
 */
async function backendFromSpec(flags: ServeFlags): Promise<JsonModelBackend> {
  const cannotServe = () =>
    new CliUsageError({
      message: `Cannot serve the models "${flags.models}".`,
      hint: 'Use --models local (the memory-tier profile), --models local:FILE.gguf (one GGUF for every role) or --models scripted:FILE (a JSON script of answers per task and phase).',
      context: { spec: flags.models },
    });
  let spec: ModelsSpec;
  try {
    spec = parseModelsSpec({ spec: flags.models, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ModelsSpecError) throw cannotServe();
    throw error;
  }
  if (spec.kind === 'openai') throw cannotServe();
  return createModelBackend({
    spec,
    dataDir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}),
    ...(flags.profile ? { profileId: flags.profile } : {}),
    load: true,
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError({ message: `--port must be a whole number from 0 to 65535, not "${value}".`, hint: 'Use --port 0 for any free port.' });
  }
  return port;
}
