import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox, SandboxResult, SandboxRunOptions } from '../shared/sandbox/Sandbox.js';
import { commandCacheEnvironment } from './commandCacheEnvironment.js';
import { createOutputCapture } from './createOutputCapture.js';
import { dependencyEnvironment } from './dependencyEnvironment.js';

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
  const environment = () => {
    cacheDir ??= mkdtempSync(join(tmpdir(), 'nightshift-local-cache-'));
    const host = hostEnvironment();
    return {
      ...host,
      ...commandCacheEnvironment({ cacheDir }),
      ...dependencyEnvironment({ readOnlyDirs: options.readOnlyDirs ?? [], path: host.PATH ?? '/usr/bin:/bin', runsOn: 'host' }).env,
    };
  };
  return {
    kind: 'local',
    isolated: false,
    run: (runOptions) => runLocal(runOptions, environment(), running),
    async dispose() {
      for (const pid of running) killGroup(pid);
      running.clear();
      if (cacheDir !== null) rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

function runLocal(options: SandboxRunOptions, baseEnv: Record<string, string>, running: Set<number>): Promise<SandboxResult> {
  const started = Date.now();
  const cwd = options.cwd ? `${options.workspaceDir}/${options.cwd}` : options.workspaceDir;
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd,
      env: { ...baseEnv, ...options.env, CI: '1', NO_COLOR: '1', TERM: 'dumb' },
      // A new process group lets the timeout kill the command's children too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createOutputCapture({ limitBytes: options.outputLimitBytes });
    const err = createOutputCapture({ limitBytes: options.outputLimitBytes });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let outcome: SandboxResult['outcome'] = 'exited';
    const stop = (why: SandboxResult['outcome']) => {
      if (outcome === 'exited') outcome = why;
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) running.add(child.pid);
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.pid !== undefined) {
        // Grandchildren may outlive the shell; the group goes with it.
        killGroup(child.pid);
        running.delete(child.pid);
      }
      resolve({
        outcome: spawnError ? 'spawn-error' : outcome,
        exitCode: outcome === 'exited' && !spawnError ? exitCode : null,
        signal,
        stdout: out.text(),
        stderr: spawnError ? `${err.text()}${spawnError.message}` : err.text(),
        truncated: out.truncated || err.truncated,
        durationMs: Date.now() - started,
      });
    };
    // Background children holding the pipes open would otherwise delay 'close' until the timeout.
    child.on('exit', () => child.pid !== undefined && killGroup(child.pid));
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/**
 * Only what locating tools needs passes through: secrets and the host's own tool state (a test runner's
 * VITEST_* variables, NODE_OPTIONS) must not reach commands a model wrote.
 */
function hostEnvironment(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (PASSED_THROUGH.has(name) || name.startsWith('LC_') || name.startsWith('PYENV_'))) kept[name] = value;
  }
  return kept;
}

const PASSED_THROUGH = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'TZ', 'TMPDIR', 'SHELL']);

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
