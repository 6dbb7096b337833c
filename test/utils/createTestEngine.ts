import { assembleEngine, type AssembledEngine } from '../../src/assembly/assembleEngine.js';
import { loadScriptedModels } from '../../src/runtime/scripted/loadScriptedModels.js';
import { createModelClientFromBackend } from '../../src/shared/model/createModelClientFromBackend.js';

/**
 * The engine as `nightshift run` assembles it (SQLite, isomorphic-git, real prompts) over a scripted model
 * backend. Commands run in the sandbox named by `sandbox`: `local` (unsandboxed, the default for tests about
 * the loop's logic) or `docker` / `native` (the real sandboxes).
 */
export async function createTestEngine(options: {
  dataDir: string;
  /** The scripted models' JSON script. */
  scriptPath: string;
  /** Default `local`. */
  sandbox?: 'local' | 'docker' | 'native';
}): Promise<AssembledEngine> {
  const preference = options.sandbox ?? 'local';
  return assembleEngine({
    dataDir: options.dataDir,
    models: { client: createModelClientFromBackend({ backend: await loadScriptedModels({ path: options.scriptPath }) }) },
    sandbox: { preference, allowUnsandboxed: preference === 'local' },
  });
}
