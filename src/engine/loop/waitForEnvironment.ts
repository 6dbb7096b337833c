import type { Clock } from '../ports/Clock.js';
import type { PreflightCheck } from '../preflight/PreflightCheck.js';

/** First pause before re-checking: long enough for a daemon restart, short enough for a blip. */
const FIRST_DELAY_MS = 15_000;
/** Pauses double up to this. */
const MAX_DELAY_MS = 300_000;

/**
 * Re-checks a failed part of the environment with doubling pauses (15 s, 30 s, ... up to 5 min) until the
 * check passes or `deadline` comes; the last pause is cut to end at the deadline, then checked once more.
 * Throws an `AbortError` when `signal` aborts.
 */
export async function waitForEnvironment(options: {
  /** The relevant check: null when the environment is back, else the check that still fails. */
  check: () => Promise<PreflightCheck | null>;
  /** Time and pauses (`sleep`, when the clock has one). */
  clock: Clock;
  /** Stop waiting at this time, epoch milliseconds. */
  deadline: number;
  signal?: AbortSignal;
  /** Called after each failed re-check with the pause before the next one (null: no time left). */
  onRetry?: (info: { tries: number; failed: PreflightCheck; nextDelayMs: number | null }) => void;
}): Promise<{ recovered: boolean; tries: number; last: PreflightCheck | null }> {
  const { clock } = options;
  const sleep = clock.sleep?.bind(clock) ?? realSleep;
  let delay = FIRST_DELAY_MS;
  let tries = 0;
  let last: PreflightCheck | null = null;
  for (;;) {
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) return { recovered: false, tries, last };
    await sleep({ ms: Math.min(delay, remaining), ...(options.signal ? { signal: options.signal } : {}) });
    if (options.signal?.aborted) throw Object.assign(new Error('The session was stopped.'), { name: 'AbortError' });
    tries += 1;
    last = await options.check();
    if (last === null) return { recovered: true, tries, last };
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    const left = options.deadline - clock.now();
    options.onRetry?.({ tries, failed: last, nextDelayMs: left > 0 ? Math.min(delay, left) : null });
  }
}

function realSleep(options: { ms: number; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, options.ms);
    options.signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
