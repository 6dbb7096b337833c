/**
 * Under rlimits nothing records that a limit was reached: a refused fork or allocation only surfaces as an
 * error message. These are the messages shells, libc, Python and Node print for them.
 */
const PIDS = [/\bcan(?:'|no)t fork\b/i, /\bfork: (?:retry|Resource temporarily unavailable)/i, /\bspawn EAGAIN\b/, /BlockingIOError: \[Errno 11\]/, /\bpthread_create\b.*\bResource temporarily unavailable/i];
const MEMORY = [/\bMemoryError\b/, /\bCannot allocate memory\b/i, /\bstd::bad_alloc\b/, /\bheap out of memory\b/i, /\bout of memory\b/i];

/**
 * The limit a run's output says it hit, for sandboxes that enforce limits with rlimits; null when none. A
 * refused fork counts even when the command went on to exit 0 (a shell's `wait` hides it); memory messages
 * count only for a failed run, since a passing test may well print them.
 */
export function guessLimitHit(options: {
  /** The run's standard output. */
  stdout: string;
  /** The run's standard error. */
  stderr: string;
  /** Whether the run failed (timed out, was cancelled, or exited non-zero). */
  failed: boolean;
}): 'memory' | 'pids' | null {
  const text = `${options.stderr}\n${options.stdout}`;
  if (options.failed && MEMORY.some((pattern) => pattern.test(text))) return 'memory';
  return PIDS.some((pattern) => pattern.test(text)) ? 'pids' : null;
}
