import { utilityProcess } from 'electron';

/** Enough of stderr to show a native crash's last words (llama.cpp's assert, an abort message). */
const DEFAULT_STDERR_TAIL_CHARS = 8192;
/** How long an exit report waits for the rest of stderr, which can trail the exit event. */
const STDERR_DRAIN_MS = 250;

/** How a utility process ended (the shape of UtilityProcessExit and EngineProcessExit). */
export interface UtilityProcessExit {
  /** The exit code, or null when this side ended it with a signal. */
  exitCode: number | null;
  /** The signal this side sent to end it, or null. */
  signal: string | null;
  /** The last part of what it wrote to stderr. */
  stderrTail?: string;
}

/** A started utility process (the shape of ModelHostProcess and EngineProcess); each onExit listener is called once. */
export interface UtilityChildProcess<Message> {
  /** Null until the operating system assigned one. */
  readonly pid: number | null;
  /** Sends one message; a process that is gone drops it. */
  send(message: Message): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: UtilityProcessExit) => void): void;
  /** Sends a signal; `SIGKILL` ends the process even if it hangs. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts Electron utility processes running one entry file that electron-vite builds beside the main bundle
 * (the model host's modelHostMain.js, the engine's engineProcessMain.js), each named `serviceName` in the
 * app's process metrics. Only Electron can start one, and only after the app is ready. stdout is dropped and
 * stderr kept as a tail for crash reports. A utilityProcess reports an exit code only, so the exit names the
 * signal this side sent, if any.
 */
export function createUtilityProcessSpawner<Message>(options: {
  /** The entry file, an absolute path. */
  entryPath: string;
  /** The process's name in the app's process metrics, e.g. `Nightshift engine`. */
  serviceName: string;
  /** The child's environment. Default: the main process's. */
  env?: NodeJS.ProcessEnv;
  /** How much of the child's stderr to keep for the exit report, in characters. Default 8192. */
  stderrTailChars?: number;
}): () => UtilityChildProcess<Message> {
  const { entryPath } = options;
  const tailChars = options.stderrTailChars ?? DEFAULT_STDERR_TAIL_CHARS;
  return () => {
    const child = utilityProcess.fork(entryPath, [], {
      serviceName: options.serviceName,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    let stderrTail = '';
    const stderr = child.stderr;
    const stderrDone = new Promise<void>((resolve) => {
      if (!stderr) return resolve();
      stderr.on('end', resolve);
      stderr.on('close', resolve);
    });
    stderr?.setEncoding('utf8');
    stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-tailChars);
    });
    child.on('error', (type, location) => {
      stderrTail = `${stderrTail}\n${type} at ${location}`.slice(-tailChars);
    });

    // Electron clears child.pid at the exit event; crash reports and a late SIGKILL still need it.
    let pid: number | null = null;
    child.once('spawn', () => (pid = child.pid ?? null));
    let sentSignal: NodeJS.Signals | null = null;
    const exitListeners: Array<(exit: UtilityProcessExit) => void> = [];
    let exit: UtilityProcessExit | null = null;
    let gone = false;
    child.once('exit', (code) => {
      gone = true;
      let drainTimer: ReturnType<typeof setTimeout> | undefined;
      const drained = new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, STDERR_DRAIN_MS)));
      void Promise.race([stderrDone, drained]).then(() => {
        clearTimeout(drainTimer);
        exit = { exitCode: sentSignal ? null : code, signal: sentSignal, ...(stderrTail ? { stderrTail } : {}) };
        for (const listener of exitListeners.splice(0)) listener(exit);
      });
    });

    return {
      get pid() {
        return child.pid ?? pid;
      },
      send(message) {
        // Electron queues messages posted before the spawn; posting to a child that is gone can crash main.
        if (!gone) child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        if (exit) listener(exit);
        else exitListeners.push(listener);
      },
      kill(signal) {
        if (gone) return;
        sentSignal = signal;
        const target = child.pid ?? pid;
        // utilityProcess.kill() only sends SIGTERM; a hung process needs the signal asked for.
        if (signal === 'SIGTERM' || target === null) child.kill();
        else process.kill(target, signal);
      },
    };
  };
}
