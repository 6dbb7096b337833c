import { createSqliteStore } from '../engine/store/createSqliteStore.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import { resolveDataDir } from '../engine/store/resolveDataDir.js';
import type { Store } from '../engine/ports/Store.js';

/** The data directory and its database, opened for one CLI command. */
export interface Host {
  dataDir: string;
  workspacesDir: string;
  reportsDir: string;
  store: Store;
  dispose(): void;
}

/** Opens the data directory (`--data-dir`, `$NIGHTSHIFT_HOME`, or `~/.nightshift`) and its database. */
export function openHost(options: {
  /** Value of `--data-dir`, if given. */
  dataDir?: string;
}): Host {
  const dirs = openDataDir({ dir: resolveDataDir(options.dataDir ? { explicit: options.dataDir } : {}) });
  const store = createSqliteStore({ path: dirs.dbPath });
  return {
    dataDir: dirs.dir,
    workspacesDir: dirs.workspacesDir,
    reportsDir: dirs.reportsDir,
    store,
    dispose: () => store.dispose(),
  };
}
