import type { BackendSpec } from '../../shared/modelHostProtocol.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';
import { loadScriptedModels } from '../scripted/loadScriptedModels.js';

/**
 * Builds the backend a model host `init` names, with its models loaded. node-llama-cpp is imported only
 * for a llama spec, so a scripted host never loads its native addon.
 */
export async function createBackendFromSpec(options: {
  /** The backend to build. */
  spec: BackendSpec;
}): Promise<JsonModelBackend> {
  const { spec } = options;
  switch (spec.kind) {
    case 'scripted':
      return loadScriptedModels({ path: spec.scriptPath, ...(spec.delayMs === undefined ? {} : { delayMs: spec.delayMs }) });
    case 'llama': {
      const { createLlamaBackend } = await import('../llama/createLlamaBackend.js');
      const backend = createLlamaBackend({
        roles: spec.roles,
        ...(spec.embedding === undefined ? {} : { embedding: spec.embedding }),
        ...(spec.threads === undefined ? {} : { threads: spec.threads }),
        ...(spec.budgetBytes === undefined ? {} : { budgetBytes: spec.budgetBytes }),
      });
      // Load now, so `ready` means the resident models are in memory and a model that cannot load or can
      // never fit fails the start, not a call.
      try {
        await backend.load();
      } catch (error) {
        await backend.dispose();
        throw error;
      }
      return backend;
    }
  }
}
