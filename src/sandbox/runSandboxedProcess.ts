import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SandboxResult } from '../shared/sandbox/Sandbox.js';
import { killProcessGroup } from '../node/killProcessGroup.js';
import { createOutputCapture } from './createOutputCapture.js';

/** How often a run's resource limits are checked while it runs, in milliseconds. */
const LIMIT_POLL_MS = 100;

/** What `runSandboxedProcess` needs from a control group, when the run has one. */
export interface RunLimitWatch {
  /** The limit hit so far. */
  limitHit(): 'memory' | 'pids' | null;
  /** SIGKILLs every process of the run, wherever it is in the process tree. */
  killAll(): void;
}

/**
 * Runs a command or a sandbox launcher (bwrap, sandbox-exec) and collects a SandboxResult; every runner that
 * spawns a process on this machine uses it: stdin closed, output capped per stream and marked, the launcher's
 * process group SIGKILLed at the timeout or on abort (and when the launcher exits, so no background child
 * outlives the run). With `watch`,
 * the run is also stopped as soon as a resource limit is hit. With `readyFd`, the launcher must write to fd 3
 * before starting the command (e.g. after joining its control group); if it never does, the result is a
 * spawn error carrying its stderr.
 */
export function runSandboxedProcess(options: {
  /** Program and arguments. */
  argv: [string, ...string[]];
  /** The launcher's whole environment. */
  env: Record<string, string>;
  /** Working directory of the launcher on the host. */
  cwd: string;
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
  /** Bytes kept per stream. */
  outputLimitBytes: number;
  signal?: AbortSignal;
  /** The run's control group, checked every 100 ms. */
  watch?: RunLimitWatch;
  /** The launcher reports readiness on fd 3. Default false. */
  readyFd?: boolean;
  /** Process group ids of runs in flight, for the sandbox's dispose(). */
  running: Set<number>;
}): Promise<SandboxResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const [program, ...args] = options.argv;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      // A new process group lets a stop reach the launcher's helpers too.
      detached: true,
      stdio: options.readyFd ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const out = createOutputCapture({ limitBytes: options.outputLimitBytes });
    const err = createOutputCapture({ limitBytes: options.outputLimitBytes });
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    let ready = !options.readyFd;
    (child.stdio[3] as Readable | undefined)?.on('data', () => {
      ready = true;
    });
    let outcome: SandboxResult['outcome'] = 'exited';
    let limitHit: 'memory' | 'pids' | null = null;
    const killEverything = () => {
      if (child.pid !== undefined) killProcessGroup(child.pid);
      options.watch?.killAll();
    };
    const stop = (why: SandboxResult['outcome']) => {
      if (outcome === 'exited') outcome = why;
      killEverything();
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const poll = options.watch
      ? setInterval(() => {
          const hit = options.watch?.limitHit() ?? null;
          if (hit && limitHit === null) {
            limitHit = hit;
            killEverything();
          }
        }, LIMIT_POLL_MS)
      : undefined;
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) stop('cancelled');
    if (child.pid !== undefined) options.running.add(child.pid);
    let finished = false;
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(poll);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.pid !== undefined) {
        killEverything();
        options.running.delete(child.pid);
      }
      const failedToStart = spawnError !== undefined || (!ready && outcome === 'exited');
      limitHit ??= options.watch?.limitHit() ?? null;
      resolve({
        outcome: failedToStart ? 'spawn-error' : outcome,
        exitCode: outcome === 'exited' && !failedToStart ? exitCode : null,
        signal,
        stdout: out.text(),
        stderr: spawnError ? `${err.text()}${spawnError.message}` : err.text(),
        truncated: out.truncated || err.truncated,
        limitHit,
        durationMs: Date.now() - started,
      });
    };
    child.on('exit', () => child.pid !== undefined && killEverything());
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
