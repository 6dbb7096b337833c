export interface SandboxRunOptions {
  /** Shell command, run with `/bin/sh -c`. */
  command: string;
  /** Absolute path of the workspace root; the only place the command may write. */
  workspaceDir: string;
  /** Working directory relative to the workspace root. Default `.`. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Wall-clock limit in milliseconds; the whole process tree is killed when it passes. */
  timeoutMs: number;
  /** Bytes kept per stream; the rest is dropped and the result marked truncated. */
  outputLimitBytes: number;
  signal?: AbortSignal;
  /** What this command is for, recorded with its duration, e.g. `bite:without-code`. */
  label?: string;
}

export interface SandboxResult {
  /** How the command ended. */
  outcome: 'exited' | 'timeout' | 'cancelled' | 'spawn-error';
  /** Exit code when it exited, else null. */
  exitCode: number | null;
  /** Signal that ended it, e.g. `SIGKILL`, else null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when either stream hit the output limit. */
  truncated: boolean;
  /**
   * A resource limit that ended or broke the command, when the sandbox can tell: `memory` (OOM-killed),
   * `pids` (could not fork: process limit). Absent or null otherwise.
   */
  limitHit?: 'memory' | 'pids' | null;
  durationMs: number;
}

/** Runs commands on the user's behalf. Implementations: local (unsandboxed), Docker, bubblewrap. */
export interface Sandbox {
  /** Short name shown in progress output and the audit record, e.g. `local`. */
  readonly kind: string;
  /** False for the local runner: commands run loose on the host. */
  readonly isolated: boolean;
  run(options: SandboxRunOptions): Promise<SandboxResult>;
  dispose(): Promise<void>;
}
