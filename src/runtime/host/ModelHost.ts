import type { EmbeddingResult, ModelHostStats } from '../../shared/modelHostProtocol.js';
import type { JsonModelBackend } from '../../shared/model/JsonModelBackend.js';

/** A JsonModelBackend whose models run in a separate process (see createModelHost). */
export interface ModelHost extends JsonModelBackend {
  /** The current model process's id; null when none is running. */
  pid(): number | null;
  /** How many processes were started to replace one that died, over the host's life. */
  restarts(): number;
  /** Starts the model process now unless one runs, and resolves once its backend is built. */
  start(): Promise<void>;
  /**
   * One embedding vector per text from the spec's embedding model, with generate's crash, restart and
   * abort behaviour (an abort rejects at once with ModelCallAbortedError). Throws
   * EmbeddingNotConfiguredError, without starting a process, when the spec has no embedding model.
   */
  embed(options: {
    /** At least one text, each within the embedding model's context. */
    texts: string[];
    signal?: AbortSignal;
  }): Promise<EmbeddingResult>;
  /** The running model process's own figures; null when none is running. */
  stats(): Promise<ModelHostStats | null>;
}

/** What happened to the model process, for logs and the UI. */
export type ModelHostEvent =
  | {
      type: 'ready';
      pid: number;
      /** Milliseconds from spawning the process to its backend being built (model loading included). */
      startMs: number;
    }
  | {
      /** The process ended without being told to. */
      type: 'crash';
      pid: number | null;
      exitCode: number | null;
      signal: string | null;
      /** Calls it took down with it. */
      inFlightCalls: number;
      /** Whether the next call starts a fresh process; false once `maxRestarts` restarts were used within the window. */
      restarting: boolean;
      stderrTail?: string;
    }
  | {
      /** A new process is starting in place of one that died. */
      type: 'restart';
      /** Restarts so far, this one included. */
      restarts: number;
    }
  | {
      /** The process answered something the host cannot use (a bug in one side or the other). */
      type: 'protocol-error';
      error: Error;
    };
