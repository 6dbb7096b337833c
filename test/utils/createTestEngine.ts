import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/engine/createEngine.js';
import type { Store } from '../../src/engine/ports/Store.js';
import { createPromptLibrary } from '../../src/engine/prompts/createPromptLibrary.js';
import { createSandboxFactory } from '../../src/sandbox/createSandboxFactory.js';
import { createSqliteStore } from '../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../src/engine/store/openDataDir.js';
import { createGitVcs } from '../../src/engine/vcs/createGitVcs.js';
import { refIntentsDir } from '../../src/engine/vcs/refIntentsDir.js';
import { loadScriptedModels } from '../../src/runtime/scripted/loadScriptedModels.js';
import { createModelClientFromBackend } from '../../src/shared/model/createModelClientFromBackend.js';

/**
 * The real engine (SQLite, isomorphic-git, real prompts) over a scripted model backend. Commands run in
 * the sandbox named by `sandbox`: `local` (unsandboxed, the default for tests about the loop's logic) or
 * `docker` / `native` (the real sandboxes).
 */
export async function createTestEngine(options: { dataDir: string; scriptPath: string; sandbox?: 'local' | 'docker' | 'native' }): Promise<{
  engine: Engine;
  store: Store;
  workspacesDir: string;
  reportsDir: string;
  dispose(): Promise<void>;
}> {
  const dirs = openDataDir({ dir: join(options.dataDir) });
  const store = createSqliteStore({ path: dirs.dbPath });
  const engine = createEngine({
    models: createModelClientFromBackend({ backend: await loadScriptedModels({ path: options.scriptPath }) }),
    store,
    createSandbox: createSandboxFactory({ preference: options.sandbox ?? 'local', allowUnsandboxed: (options.sandbox ?? 'local') === 'local' }),
    vcs: createGitVcs({ refIntentsDir: refIntentsDir({ dataDir: dirs.dir }) }),
    clock: { now: () => Date.now() },
    prompts: createPromptLibrary(),
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
  });
  return {
    engine,
    store,
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
    async dispose() {
      await engine.dispose();
      store.dispose();
    },
  };
}
