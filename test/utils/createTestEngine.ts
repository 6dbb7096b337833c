import { join } from 'node:path';
import { createEngine, type Engine } from '../../src/engine/createEngine.js';
import type { Store } from '../../src/engine/ports/Store.js';
import { createPromptLibrary } from '../../src/engine/prompts/createPromptLibrary.js';
import { createLocalSandbox } from '../../src/engine/sandbox/createLocalSandbox.js';
import { createSqliteStore } from '../../src/engine/store/createSqliteStore.js';
import { openDataDir } from '../../src/engine/store/openDataDir.js';
import { createGitVcs } from '../../src/engine/vcs/createGitVcs.js';
import { loadScriptedModels } from '../../src/runtime/scripted/loadScriptedModels.js';

/** The real engine (SQLite, isomorphic-git, local runner, real prompts) over a scripted model backend. */
export async function createTestEngine(options: { dataDir: string; scriptPath: string }): Promise<{
  engine: Engine;
  store: Store;
  workspacesDir: string;
  reportsDir: string;
  dispose(): Promise<void>;
}> {
  const dirs = openDataDir({ dir: join(options.dataDir) });
  const store = createSqliteStore({ path: dirs.dbPath });
  const engine = createEngine({
    models: await loadScriptedModels({ path: options.scriptPath }),
    store,
    sandbox: createLocalSandbox(),
    vcs: createGitVcs(),
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
