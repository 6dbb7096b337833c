/** Resource limits a native sandbox enforces on each command (the whole process tree of one run). */
export interface SandboxLimits {
  /** Memory the run may use, in bytes. Default 4 GiB. */
  memoryBytes?: number;
  /** Processes and threads the run may have at once. Default 1024. */
  pids?: number;
  /** CPU seconds each process may use (RLIMIT_CPU). Default: no limit beyond the run's timeout. */
  cpuSeconds?: number;
}

/** Limits applied when a field is not given. */
export const DEFAULT_SANDBOX_LIMITS = { memoryBytes: 4 * 1024 ** 3, pids: 1024 } as const;
