import type { EngineParentMessage } from '../shared/engineProcessMessageSchema.js';

/** How an engine process ended. */
export interface EngineProcessExit {
  /** The exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it, e.g. `SIGKILL`, or null. */
  signal: string | null;
  /** The last part of what it wrote to stderr, when the spawner captures it. */
  stderrTail?: string;
}

/**
 * A started engine process as the supervisor sees it: a Node fork under `nightshift serve`
 * (forkEngineProcess), an Electron utilityProcess in the desktop app. Implementations deliver each
 * `onExit` listener exactly once, after every message the process sent has been delivered.
 */
export interface EngineProcess {
  /** Null until the operating system assigned one (or when it never started). */
  readonly pid: number | null;
  /** Sends one message; a process that is gone drops it (its exit is reported through onExit). */
  send(message: EngineParentMessage): void;
  /** Receives every message as sent by the child (the supervisor validates them). */
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: EngineProcessExit) => void): void;
  /** Sends a signal; `SIGKILL` must end the process even if it hangs. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts a process running src/host/engineProcessMain. */
export type SpawnEngineProcess = () => EngineProcess;
