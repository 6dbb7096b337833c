import { resolve } from 'node:path';
import type { ModelClient } from '../engine/ports/ModelClient.js';
import { createModelClientFromBackend } from '../runtime/backend/createModelClientFromBackend.js';
import { createOpenAiBackend } from '../runtime/http/createOpenAiBackend.js';
import { resolveDataDir } from '../engine/store/resolveDataDir.js';
import { loadScriptedModels } from '../runtime/scripted/loadScriptedModels.js';
import { CliUsageError } from './CliUsageError.js';
import { createLocalModelHost } from './createLocalModelHost.js';

const SPEC_HINT =
  'Use --models local (the memory-tier profile, planned for this machine), --models local:FILE.gguf (one GGUF for every role), --models scripted:FILE (a JSON script of answers per task and phase) or --models openai:<baseUrl>#<model> (an OpenAI-compatible server, e.g. openai:http://127.0.0.1:11434/v1#qwen2.5-coder:7b).';

/**
 * Builds the model client named by `--models`: `local` runs the catalog's memory-tier profile on
 * llama.cpp in a separate host process (`local:FILE.gguf`: one file for every role); `scripted:FILE` replays deterministic answers from a
 * JSON script (tests and demos); `openai:<baseUrl>#<model>` sends every role to one model on an
 * OpenAI-compatible server (Ollama, llama-server, LM Studio, vLLM, `nightshift models serve`), with the
 * API key from NIGHTSHIFT_OPENAI_API_KEY.
 */
export async function createModelsFromSpec(options: {
  /** The `--models` value. */
  spec: string;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Where NIGHTSHIFT_OPENAI_API_KEY (openai) and NIGHTSHIFT_LLAMA_THREADS (local) are read. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Nightshift's data directory, where `local` finds downloaded models. Default: resolveDataDir(). */
  dataDir?: string;
  /** The project, whose nightshift.models.json overrides the catalog for `local`. */
  projectDir?: string;
  /** Catalog profile for `local` instead of the largest tier that fits this machine. */
  profileId?: string;
}): Promise<ModelClient> {
  const [backend, ...rest] = options.spec.split(':');
  const argument = rest.join(':');
  if (backend === 'scripted' && argument) return loadScriptedModels({ path: resolve(options.cwd, argument) });
  if (backend === 'local') {
    const host = await createLocalModelHost({
      modelPath: argument,
      cwd: options.cwd,
      dataDir: options.dataDir ?? resolveDataDir({}),
      ...(options.projectDir ? { projectDir: options.projectDir } : {}),
      ...(options.profileId ? { profileId: options.profileId } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    return createModelClientFromBackend({ backend: host });
  }
  if (backend === 'openai' && argument) {
    const separator = argument.indexOf('#');
    const baseUrl = separator === -1 ? argument : argument.slice(0, separator);
    const model = separator === -1 ? '' : argument.slice(separator + 1);
    if (!model || !URL.canParse(baseUrl) || !['http:', 'https:'].includes(new URL(baseUrl).protocol)) {
      throw new CliUsageError({
        message: `The model spec "${options.spec}" needs an http(s) base URL and a model name.`,
        hint: SPEC_HINT,
        context: { spec: options.spec },
      });
    }
    const apiKey = (options.env ?? process.env).NIGHTSHIFT_OPENAI_API_KEY;
    const role = { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
    return createModelClientFromBackend({ backend: createOpenAiBackend({ roles: { brain: role, coder: role, qa: role } }) });
  }
  throw new CliUsageError({ message: `Unknown model backend spec "${options.spec}".`, hint: SPEC_HINT, context: { spec: options.spec } });
}
