import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ModelHostExit, ModelHostProcess } from './ModelHostProcess.js';
import { nodeForkEnv } from './nodeForkEnv.js';

/** Enough of stderr to show a native crash's last words (llama.cpp's assert, an abort message). */
const DEFAULT_STDERR_TAIL_CHARS = 8192;

/**
 * Starts the model process as a Node child (`child_process.fork`) talking over Node IPC. From source
 * (this file is `.ts`, as under tsx or vitest) it runs modelHostMain.ts through tsx's loader, resolved
 * from Nightshift's own dependencies so the working directory does not matter; from the compiled CLI
 * (build/scripts/buildCli.mjs bundles into one flat out/cli/ folder, this code in one of its chunks) it runs
 * the modelHostMain.js entry that the same build writes beside it. stdout is dropped and stderr kept only as a tail for crash reports,
 * so native logging never interleaves with the CLI's output. Inside Electron (the app's engine process) the
 * child is the Electron binary run as Node (see nodeForkEnv).
 */
export function forkModelHost(options: {
  /** The entry file to run. Default: modelHostMain beside this module, as described above. */
  entryPath?: string;
  /** The child's environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** How much of the child's stderr to keep for the exit report, in characters. Default 8192. */
  stderrTailChars?: number;
} = {}): ModelHostProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const entryPath = options.entryPath ?? fileURLToPath(new URL(fromSource ? './modelHostMain.ts' : './modelHostMain.js', import.meta.url));
  const execArgv = entryPath.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  const tailChars = options.stderrTailChars ?? DEFAULT_STDERR_TAIL_CHARS;
  const child = fork(entryPath, [], {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    env: nodeForkEnv({ env: options.env ?? process.env, versions: process.versions }),
  });

  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-tailChars);
  });

  const exitListeners: Array<(exit: ModelHostExit) => void> = [];
  let exit: ModelHostExit | null = null;
  const exited = (report: ModelHostExit) => {
    if (exit) return;
    exit = report;
    for (const listener of exitListeners) listener(report);
  };
  // `close` comes after stderr is drained, so the tail holds the process's last words.
  child.on('close', (exitCode, signal) => exited({ exitCode, signal, ...(stderrTail ? { stderrTail } : {}) }));
  child.on('error', (error) => {
    if (child.pid === undefined) exited({ exitCode: null, signal: null, stderrTail: `could not start: ${error.message}` });
  });

  return {
    get pid() {
      return child.pid ?? null;
    },
    send(message) {
      if (child.connected) child.send(message, () => {});
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      if (exit) listener(exit);
      else exitListeners.push(listener);
    },
    kill(signal) {
      child.kill(signal);
    },
  };
}
