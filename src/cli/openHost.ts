import { existsSync } from 'node:fs';
import { createSqliteStore } from '../engine/store/createSqliteStore.js';
import { DataDirError } from '../engine/store/DataDirError.js';
import { openDataDir } from '../engine/store/openDataDir.js';
import { resolveDataDir } from '../engine/store/resolveDataDir.js';
import { StoreOutdatedError } from '../engine/store/StoreOutdatedError.js';
import { StoreUnavailableError } from '../engine/store/StoreUnavailableError.js';
import type { Store } from '../engine/ports/Store.js';

/** The data directory and its database, opened for one CLI command. */
export interface Host {
  dataDir: string;
  workspacesDir: string;
  reportsDir: string;
  store: Store;
  dispose(): void;
}

/**
 * Opens the data directory (`--data-dir`, `$NIGHTSHIFT_HOME`, or `~/.nightshift`) and its database. With
 * `readOnly` (status, explain, audit export) an existing, current database is opened without writing a
 * byte, so a read-only data directory or database file still answers; with no database yet, or one that
 * needs an upgrade, it is opened as for writing, and where that is refused the upgrade is what is reported.
 */
export function openHost(options: {
  /** Value of `--data-dir`, if given. */
  dataDir?: string;
  /** The command only reads. Default false. */
  readOnly?: boolean;
}): Host {
  const dir = resolveDataDir(options.dataDir ? { explicit: options.dataDir } : {});
  if (options.readOnly) {
    const layout = openDataDir({ dir, readOnly: true });
    if (existsSync(layout.dbPath)) {
      try {
        return hostOver(layout, createSqliteStore({ path: layout.dbPath, readonly: true }));
      } catch (error) {
        if (!(error instanceof StoreOutdatedError)) throw error;
        try {
          return openWritable(dir);
        } catch (writeError) {
          throw writeError instanceof DataDirError || writeError instanceof StoreUnavailableError ? error : writeError;
        }
      }
    }
  }
  return openWritable(dir);
}

function openWritable(dir: string): Host {
  const layout = openDataDir({ dir });
  return hostOver(layout, createSqliteStore({ path: layout.dbPath }));
}

function hostOver(layout: { dir: string; workspacesDir: string; reportsDir: string }, store: Store): Host {
  return { dataDir: layout.dir, workspacesDir: layout.workspacesDir, reportsDir: layout.reportsDir, store, dispose: () => store.dispose() };
}
