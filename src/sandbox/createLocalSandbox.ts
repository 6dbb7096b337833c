import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox, SandboxResult, SandboxRunOptions } from '../shared/sandbox/Sandbox.js';
import { commandCacheEnvironment } from './commandCacheEnvironment.js';
import { dependencyEnvironment } from './dependencyEnvironment.js';
import { killRunning } from './killRunning.js';
import { runSandboxedProcess } from './runSandboxedProcess.js';
import { sandboxEnvironment } from './sandboxEnvironment.js';

/**
 * Runs commands directly on the host, UNSANDBOXED: no network, filesystem or resource isolation beyond a
 * timeout that kills the whole process group and an output cap. Only for tests and explicit opt-in. Like the
 * sandboxes, commands get their own cache folder (removed on dispose) and the linked dependency folders on
 * PATH and PYTHONPATH (see dependencyEnvironment).
 */
export function createLocalSandbox(options: {
  /** Host folders the workspace links to (the project's node_modules, .venv, .nightshift-deps). Default none. */
  readOnlyDirs?: string[];
} = {}): Sandbox {
  const running = new Set<number>();
  // Made on the first run, so a sandbox that never runs leaves nothing behind.
  let cacheDir: string | null = null;
  const run = (runOptions: SandboxRunOptions): Promise<SandboxResult> => {
    cacheDir ??= mkdtempSync(join(tmpdir(), 'nightshift-local-cache-'));
    return runSandboxedProcess({
      argv: ['/bin/sh', '-c', runOptions.command],
      env: sandboxEnvironment({
        runner: 'local',
        hostEnv: process.env,
        runnerEnv: {
          ...commandCacheEnvironment({ cacheDir }),
          ...dependencyEnvironment({ readOnlyDirs: options.readOnlyDirs ?? [], path: process.env.PATH ?? '/usr/bin:/bin', runsOn: 'host' }).env,
        },
        ...(runOptions.env ? { commandEnv: runOptions.env } : {}),
      }),
      cwd: runOptions.cwd ? `${runOptions.workspaceDir}/${runOptions.cwd}` : runOptions.workspaceDir,
      timeoutMs: runOptions.timeoutMs,
      outputLimitBytes: runOptions.outputLimitBytes,
      running,
      ...(runOptions.signal ? { signal: runOptions.signal } : {}),
    });
  };
  return {
    kind: 'local',
    isolated: false,
    run,
    async dispose() {
      killRunning(running);
      if (cacheDir !== null) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
