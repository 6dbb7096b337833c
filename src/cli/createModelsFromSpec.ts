import { resolve } from 'node:path';
import type { ModelClient } from '../engine/ports/ModelClient.js';
import { loadScriptedModels } from '../runtime/scripted/loadScriptedModels.js';
import { CliUsageError } from './CliUsageError.js';

/**
 * Builds the model client named by `--models`: `scripted:FILE` replays deterministic answers from a
 * JSON script (tests and demos).
 */
export async function createModelsFromSpec(options: {
  /** The `--models` value. */
  spec: string;
  /** Directory relative paths resolve against. */
  cwd: string;
}): Promise<ModelClient> {
  const [backend, ...rest] = options.spec.split(':');
  const argument = rest.join(':');
  if (backend === 'scripted' && argument) return loadScriptedModels({ path: resolve(options.cwd, argument) });
  throw new CliUsageError({
    message: `Unknown model backend spec "${options.spec}".`,
    hint: 'Use --models scripted:FILE (a JSON script of answers per task and phase).',
    context: { spec: options.spec },
  });
}
