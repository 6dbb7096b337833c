import { join } from 'node:path';

/**
 * Where `build/scripts/ensureDeps.mjs` puts the better-sqlite3 addon built for an Electron version's ABI.
 * The copy in node_modules stays built for Node, which the CLI and the tests use.
 */
export function electronNativeBinding(options: {
  /** The app's root folder (the one with package.json), e.g. `app.getAppPath()`. */
  appPath: string;
  /** Electron's version, e.g. `process.versions.electron`. */
  electronVersion: string;
}): string {
  return join(options.appPath, 'build', 'native', `electron-${options.electronVersion}`, 'better_sqlite3.node');
}
