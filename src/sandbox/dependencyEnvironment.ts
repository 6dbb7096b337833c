import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PYTHON_DEPS_DIR } from './docker/chooseSetupCommand.js';

/**
 * Environment that makes a project's linked dependency folders usable by every command, given the PATH
 * commands get otherwise: `node_modules/.bin` first on PATH; `.nightshift-deps` (what `nightshift sandbox
 * setup` installs Python packages into) on PYTHONPATH; a virtual environment (a folder with `pyvenv.cfg`,
 * usually `.venv`) as VIRTUAL_ENV with its `bin` first on PATH, when its interpreter can run here. Also
 * returns those interpreters, which a native sandbox must show read-only for the environment to start.
 */
export function dependencyEnvironment(options: {
  /** Host folders the workspace links to, visible at the same paths inside the sandbox. */
  readOnlyDirs: string[];
  /** PATH commands get without the dependency folders. */
  path: string;
  /**
   * Where commands run: `host` (native and local sandboxes: a virtual environment is used when its base
   * interpreter exists on this machine) or `image` (Docker: only one made with a system interpreter under
   * /usr, as `sandbox setup` does in the stack image, since the host's interpreters are not in the container).
   */
  runsOn: 'host' | 'image';
}): { env: Record<string, string>; interpreters: string[] } {
  const binDirs: string[] = [];
  const pythonPath: string[] = [];
  const interpreters: string[] = [];
  let virtualEnv: string | null = null;
  for (const dir of options.readOnlyDirs) {
    if (basename(dir) === 'node_modules') binDirs.push(join(dir, '.bin'));
    else if (basename(dir) === PYTHON_DEPS_DIR) pythonPath.push(dir);
    else if (virtualEnv === null) {
      const home = venvHome(dir);
      if (home !== null && (options.runsOn === 'host' ? existsSync(home) : home.startsWith('/usr/'))) {
        virtualEnv = dir;
        binDirs.unshift(join(dir, 'bin'));
        interpreters.push(join(dir, 'bin', 'python3'));
      }
    }
  }
  const env: Record<string, string> = {};
  if (binDirs.length > 0) env.PATH = [...binDirs, options.path].join(':');
  if (pythonPath.length > 0) env.PYTHONPATH = pythonPath.join(':');
  if (virtualEnv !== null) env.VIRTUAL_ENV = virtualEnv;
  return { env, interpreters };
}

/** The `home` line of a virtual environment's pyvenv.cfg (the base interpreter's folder); null when not a venv. */
function venvHome(dir: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(dir, 'pyvenv.cfg'), 'utf8');
  } catch {
    return null;
  }
  return /^home\s*=\s*(.+?)\s*$/m.exec(text)?.[1] ?? null;
}
