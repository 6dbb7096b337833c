import { describe, expect, it } from 'vitest';
import { waitForEnvironment } from '../../../src/engine/loop/waitForEnvironment.js';
import type { PreflightCheck } from '../../../src/engine/preflight/PreflightCheck.js';

const down: PreflightCheck = { id: 'sandbox', title: 'sandbox runs commands', status: 'failed', detail: 'daemon gone', fix: 'start Docker', component: 'sandbox' };

function fakeClock() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => now,
      sleep: async ({ ms }: { ms: number }) => {
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

describe('waitForEnvironment', () => {
  it('re-checks with doubling pauses until the environment is back', async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    const retries: Array<number | null> = [];
    const result = await waitForEnvironment({
      check: async () => (++calls < 4 ? down : null),
      clock,
      deadline: clock.now() + 30 * 60_000,
      onRetry: ({ nextDelayMs }) => retries.push(nextDelayMs),
    });
    expect(result).toEqual({ recovered: true, tries: 4, last: null });
    expect(sleeps).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(retries).toEqual([30_000, 60_000, 120_000]);
  });

  it('caps pauses at 5 minutes and gives up at the deadline, checking once more right at it', async () => {
    const { clock, sleeps } = fakeClock();
    const start = clock.now();
    const result = await waitForEnvironment({ check: async () => down, clock, deadline: start + 30 * 60_000 });
    expect(result.recovered).toBe(false);
    expect(result.last).toEqual(down);
    expect(sleeps.slice(0, 6)).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000]);
    expect(Math.max(...sleeps)).toBe(300_000);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30 * 60_000);
    expect(result.tries).toBe(sleeps.length);
    expect(clock.now()).toBe(start + 30 * 60_000);
  });

  it('does not wait when the deadline has passed', async () => {
    const { clock, sleeps } = fakeClock();
    const result = await waitForEnvironment({ check: async () => null, clock, deadline: clock.now() });
    expect(result).toEqual({ recovered: false, tries: 0, last: null });
    expect(sleeps).toEqual([]);
  });

  it('stops with an AbortError when the signal aborts', async () => {
    const { clock } = fakeClock();
    const controller = new AbortController();
    const wait = waitForEnvironment({
      check: async () => {
        controller.abort();
        return down;
      },
      clock,
      deadline: clock.now() + 60 * 60_000,
      signal: controller.signal,
    });
    await expect(wait).rejects.toMatchObject({ name: 'AbortError' });
  });
});
