import type { ModelHostParentMessage } from '../../shared/modelHostProtocol.js';

/** How a model process ended. */
export interface ModelHostExit {
  /** The exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it, e.g. `SIGKILL`, or null. */
  signal: string | null;
  /** The last part of what it wrote to stderr, when the spawner captures it. */
  stderrTail?: string;
}

/**
 * A started model process as the parent sees it: a Node fork in the CLI (forkModelHost), an Electron
 * utilityProcess in the desktop app. Implementations deliver each `onExit` listener exactly once.
 */
export interface ModelHostProcess {
  /** Null until the operating system assigned one (or when it never started). */
  readonly pid: number | null;
  /** Sends one message; a process that is gone drops it (its exit is reported through onExit). */
  send(message: ModelHostParentMessage): void;
  /** Receives every message as sent by the child (the host validates them). */
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: ModelHostExit) => void): void;
  /** Sends a signal; `SIGKILL` must end the process even if it hangs. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts a model process running src/runtime/host/modelHostMain. */
export type SpawnModelHost = () => ModelHostProcess;
