import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox, SandboxResult, SandboxRunOptions } from '../../shared/sandbox/Sandbox.js';
import { commandCacheEnvironment } from '../commandCacheEnvironment.js';
import { dependencyEnvironment } from '../dependencyEnvironment.js';
import { findViteCacheDirs } from '../findViteCacheDirs.js';
import { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './SandboxLimits.js';
import { SandboxUnavailableError } from './SandboxUnavailableError.js';
import { assertExposable } from './assertExposable.js';
import { buildSandboxExecProfile } from './buildSandboxExecProfile.js';
import { findExecutable } from './findExecutable.js';
import { guessLimitHit } from './guessLimitHit.js';
import { resolveToolDirs } from './resolveToolDirs.js';
import { killRunning } from '../killRunning.js';
import { runSandboxedProcess } from '../runSandboxedProcess.js';
import { resolveRunDirs } from './resolveRunDirs.js';
import { sandboxEnvironment } from '../sandboxEnvironment.js';

/**
 * Bash script (for its `ulimit -u`, which POSIX sh lacks) that sets the run's rlimits outside the sandbox,
 * where every process of the user can be counted, then starts sandbox-exec with the rest of the arguments.
 * macOS counts RLIMIT_NPROC over all of the user's processes, so the process limit is the user's current
 * count plus the run's budget. macOS does not enforce an address-space limit everywhere; where setting one
 * fails, the run goes on without it.
 */
const APPLY_LIMITS =
  'n=$(ps -U "$(id -u)" -o pid= | wc -l) && ulimit -u $((n + NS_PIDS)) || exit 125; ' +
  'ulimit -v "$NS_MEMORY_KB" 2>/dev/null; [ -z "$NS_CPU_SECONDS" ] || ulimit -t "$NS_CPU_SECONDS" || exit 125; ' +
  'unset NS_PIDS NS_MEMORY_KB NS_CPU_SECONDS; exec "$@"';

/** Inside the sandbox: report on fd 3 that the sandbox is set up, then start the command ($0). */
const SIGNAL_READY = 'printf ready >&3 && exec 3>&- && exec /bin/sh -c "$0"';

/**
 * Runs commands under macOS `sandbox-exec` with a generated Seatbelt profile (see buildSandboxExecProfile):
 * no network, writes only to the run's workspace, a private temp dir (removed after the run), the sandbox's
 * cache folder and vite's folders in a linked node_modules, nothing of the home directories but the workspace,
 * tool installs and the linked dependency folders, which are used as they are (see dependencyEnvironment). Limits are rlimits set by the shell that starts
 * sandbox-exec, and a limit hit is recognised from the error messages. Unlike bubblewrap there is no pid
 * namespace: the timeout kills the command's process group, and a process that leaves the group on purpose
 * (setsid) can outlive the run.
 */
export function createSandboxExecSandbox(options: {
  /** The directory commands may write to: each run's `workspaceDir` must be it or lie inside it. */
  workspaceDir: string;
  /** Memory, process and CPU limits per run. Default: 4 GiB, 1024 processes, no CPU limit. */
  limits?: SandboxLimits;
  /** Host directories readable at their own paths, e.g. a linked node_modules. Default none. */
  readOnlyDirs?: string[];
  /** Programs whose install directories are readable. Default `node`, `python3`, `python`. */
  tools?: string[];
  /** Host environment: PATH finds tools and is passed on, HOME is the directory kept hidden. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The sandbox-exec program. Default `/usr/bin/sandbox-exec`. */
  sandboxExecPath?: string;
}): Sandbox {
  const env = options.env ?? process.env;
  const home = env.HOME ?? homedir();
  const searchPath = env.PATH ?? '/usr/bin:/bin';
  const root = assertExposable({ path: options.workspaceDir, home });
  const sandboxExec = findExecutable({ name: options.sandboxExecPath ?? '/usr/bin/sandbox-exec' });
  if (!sandboxExec) {
    throw new SandboxUnavailableError({
      kind: 'sandbox-exec',
      reason: `${options.sandboxExecPath ?? '/usr/bin/sandbox-exec'} is not there`,
      hint: 'sandbox-exec ships with macOS; on other systems use bubblewrap (Linux) or the Docker sandbox.',
    });
  }
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
  const dependencyDirs = (options.readOnlyDirs ?? []).map((dir) => assertExposable({ path: dir, home }));
  const dependencies = dependencyEnvironment({ readOnlyDirs: dependencyDirs, path: searchPath, runsOn: 'host' });
  const readOnlyPaths = [
    ...resolveToolDirs({ tools: [...(options.tools ?? ['node', 'python3', 'python']), ...dependencies.interpreters], searchPath, home }),
    ...dependencyDirs,
  ].map(realOrSelf);
  // Unlike bubblewrap there is no private mount: vite writes the host's own node_modules/.vite folders.
  const writablePaths = findViteCacheDirs({ readOnlyDirs: dependencyDirs }).map(realOrSelf);
  // Caches outlive a run, as a user's own would; removed with the sandbox.
  const cacheDir = realpathSync(mkdtempSync(join(tmpdir(), 'nightshift-sbx-cache-')));
  const running = new Set<number>();

  const run = async (runOptions: SandboxRunOptions): Promise<SandboxResult> => {
    const { workspaceDir, cwd } = resolveRunDirs({ root, workspaceDir: runOptions.workspaceDir, ...(runOptions.cwd ? { cwd: runOptions.cwd } : {}) });
    const tempDir = realpathSync(mkdtempSync(join(tmpdir(), 'nightshift-sbx-')));
    try {
      mkdirSync(join(tempDir, 'home'));
      const profile = buildSandboxExecProfile({ workspaceDir, tempDir, readOnlyPaths, writablePaths: [...writablePaths, cacheDir], home: realOrSelf(home) });
      const result = await runSandboxedProcess({
        argv: ['/bin/bash', '-c', APPLY_LIMITS, 'sh', sandboxExec, '-p', profile, '/bin/sh', '-c', SIGNAL_READY, runOptions.command],
        env: {
          ...sandboxEnvironment({
            runner: 'sandbox-exec',
            hostEnv: env,
            runnerEnv: {
              SHELL: '/bin/sh',
              HOME: join(tempDir, 'home'),
              TMPDIR: tempDir,
              ...commandCacheEnvironment({ cacheDir }),
              ...dependencies.env,
            },
            ...(runOptions.env ? { commandEnv: runOptions.env } : {}),
          }),
          NS_PIDS: String(limits.pids),
          NS_MEMORY_KB: String(Math.ceil(limits.memoryBytes / 1024)),
          NS_CPU_SECONDS: limits.cpuSeconds === undefined ? '' : String(limits.cpuSeconds),
        },
        cwd,
        timeoutMs: runOptions.timeoutMs,
        outputLimitBytes: runOptions.outputLimitBytes,
        readyFd: true,
        running,
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
      });
      const failed = result.outcome !== 'exited' || result.exitCode !== 0;
      return { ...result, limitHit: guessLimitHit({ ...result, failed }) };
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  };

  return {
    kind: 'sandbox-exec',
    isolated: true,
    run,
    async dispose() {
      killRunning(running);
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
