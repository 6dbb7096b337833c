import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import type { ModelHostEvent } from '../host/ModelHost.js';
import { loadScriptedModels } from '../scripted/loadScriptedModels.js';
import type { ModelsSpec } from './ModelsSpec.js';

/**
 * The one backend registry: the JsonModelBackend a parsed `--models` names. `local` plans the models for
 * this machine and runs them in a model host process (node-llama-cpp is never loaded here); `openai`
 * sends every role to one model, with the API key from NIGHTSHIFT_OPENAI_API_KEY; `scripted` replays a
 * script. Throws LocalModelsError when a local model is missing or cannot run here, LlamaThreadsError
 * for a bad NIGHTSHIFT_LLAMA_THREADS, ScriptInvalidError for a bad script, and, with `load`, what
 * loading the local models throws.
 */
export async function createModelBackend(options: {
  /** What to build; see parseModelsSpec. */
  spec: ModelsSpec;
  /** Nightshift's data directory, where `local` finds downloaded models. */
  dataDir: string;
  /** Where NIGHTSHIFT_OPENAI_API_KEY (openai) and NIGHTSHIFT_LLAMA_THREADS (local) are read. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** The project, whose nightshift.models.json overrides the catalog for `local`. */
  projectDir?: string;
  /** Catalog profile for `local` instead of the largest tier that fits this machine. */
  profileId?: string;
  /**
   * Load local models now, so one that cannot load fails here, not at the first call. Default false:
   * the host starts on the first call. No effect on the other kinds.
   */
  load?: boolean;
  /** Told about the `local` model process's starts, crashes and restarts; the other kinds run no such process. */
  onModelHostEvent?: (event: ModelHostEvent) => void;
}): Promise<JsonModelBackend> {
  const { spec } = options;
  switch (spec.kind) {
    case 'scripted':
      return loadScriptedModels({ path: spec.scriptPath });
    case 'openai': {
      const { createOpenAiBackend } = await import('../http/createOpenAiBackend.js');
      const apiKey = (options.env ?? process.env).NIGHTSHIFT_OPENAI_API_KEY;
      const role = { baseUrl: spec.baseUrl, model: spec.model, ...(apiKey ? { apiKey } : {}) };
      return createOpenAiBackend({ roles: { brain: role, coder: role, qa: role } });
    }
    case 'local': {
      const { createLocalModelHost } = await import('../local/createLocalModelHost.js');
      const host = await createLocalModelHost({
        modelPath: spec.modelPath,
        dataDir: options.dataDir,
        ...(options.projectDir ? { projectDir: options.projectDir } : {}),
        ...(options.profileId ? { profileId: options.profileId } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.onModelHostEvent ? { onEvent: options.onModelHostEvent } : {}),
      });
      if (!options.load) return host;
      try {
        await host.start();
      } catch (error) {
        await host.dispose();
        throw error;
      }
      return host;
    }
  }
}
