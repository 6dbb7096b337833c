import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Nightshift keeps its database, workspaces and reports: the explicit choice (`--data-dir`), else
 * `$NIGHTSHIFT_HOME`, else `~/.nightshift`. Always absolute; relative choices resolve against the cwd.
 */
export function resolveDataDir(options: {
  /** A directory chosen on the command line or in the app. Empty means not chosen. */
  explicit?: string;
  /** Environment to read `NIGHTSHIFT_HOME` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for the default. Default: `os.homedir()`. */
  homeDir?: string;
}): string {
  if (options.explicit) return resolve(options.explicit);
  const fromEnv = (options.env ?? process.env).NIGHTSHIFT_HOME;
  if (fromEnv) return resolve(fromEnv);
  return resolve(join(options.homeDir ?? homedir(), '.nightshift'));
}
