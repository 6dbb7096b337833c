import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EngineProcessExit, SpawnEngineProcess } from './SpawnEngineProcess.js';

/** Enough of stderr to show a crash's last words (an uncaught error, a native abort). */
const DEFAULT_STDERR_TAIL_CHARS = 8192;

/**
 * The SpawnEngineProcess of `nightshift serve`: each engine process is a Node child (`child_process.fork`)
 * talking over Node IPC. From source (this file is `.ts`, as under tsx or vitest) it runs engineProcessMain.ts
 * through tsx's loader; from the compiled CLI (build/scripts/buildCli.mjs bundles into one flat out/cli/
 * folder) it runs the engineProcessMain.js entry that the same build writes beside it. stdout is dropped and
 * stderr kept only as a tail for crash reports: everything the engine has to say travels as events.
 */
export function forkEngineProcess(options: {
  /** The entry file to run. Default: engineProcessMain beside this module, as described above. */
  entryPath?: string;
  /** The child's environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** How much of the child's stderr to keep for the exit report, in characters. Default 8192. */
  stderrTailChars?: number;
} = {}): SpawnEngineProcess {
  const fromSource = import.meta.url.endsWith('.ts');
  const entryPath = options.entryPath ?? fileURLToPath(new URL(fromSource ? './engineProcessMain.ts' : './engineProcessMain.js', import.meta.url));
  const execArgv = entryPath.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  const tailChars = options.stderrTailChars ?? DEFAULT_STDERR_TAIL_CHARS;
  return () => {
    const child = fork(entryPath, [], {
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      ...(options.env ? { env: options.env } : {}),
    });

    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-tailChars);
    });

    const exitListeners: Array<(exit: EngineProcessExit) => void> = [];
    let exit: EngineProcessExit | null = null;
    const exited = (report: EngineProcessExit) => {
      if (exit) return;
      exit = report;
      for (const listener of exitListeners.splice(0)) listener(report);
    };
    // `close` comes after stderr is drained and the IPC channel is closed, so every message arrived first.
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
  };
}
