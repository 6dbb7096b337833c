import { describe, expect, it } from 'vitest';
import { createQuitGuard } from '../../../src/main/createQuitGuard.js';

/** A `before-quit` event that records whether the guard held it back. */
function quitEvent(): { preventDefault(): void; prevented: boolean } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

/** A promise with its resolve function, to hold a step open while the test looks. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createQuitGuard', () => {
  it('quits without asking when nothing runs, after the host is disposed', async () => {
    const log: string[] = [];
    const guard = createQuitGuard({
      busy: () => false,
      confirm: async () => {
        log.push('asked');
        return true;
      },
      dispose: async () => void log.push('disposed'),
      exit: () => log.push('exit'),
    });
    const first = quitEvent();
    guard.beforeQuit(first);
    expect(first.prevented).toBe(true);
    await settle();
    expect(log).toEqual(['disposed', 'exit']);
    // The quit `exit` raises goes through.
    const second = quitEvent();
    guard.beforeQuit(second);
    expect(second.prevented).toBe(false);
  });

  it('asks while a session runs and stays open when the user declines', async () => {
    const log: string[] = [];
    const guard = createQuitGuard({
      busy: () => true,
      confirm: async () => {
        log.push('asked');
        return false;
      },
      dispose: async () => void log.push('disposed'),
      exit: () => log.push('exit'),
    });
    const event = quitEvent();
    guard.beforeQuit(event);
    await settle();
    expect(event.prevented).toBe(true);
    expect(log).toEqual(['asked']);
    // Asked again on the next quit.
    guard.beforeQuit(quitEvent());
    await settle();
    expect(log).toEqual(['asked', 'asked']);
  });

  it('on a confirmed quit, exits only after the current step finished and further quits are held meanwhile', async () => {
    const log: string[] = [];
    const step = deferred<void>();
    const guard = createQuitGuard({
      busy: () => true,
      confirm: async () => true,
      dispose: async () => {
        log.push('stopping');
        await step.promise;
        log.push('step recorded');
      },
      exit: () => log.push('exit'),
    });
    guard.beforeQuit(quitEvent());
    await settle();
    const impatient = quitEvent();
    guard.beforeQuit(impatient);
    expect(impatient.prevented).toBe(true);
    await settle();
    expect(log).toEqual(['stopping']);
    step.resolve();
    await settle();
    expect(log).toEqual(['stopping', 'step recorded', 'exit']);
  });

  it('still exits when disposing fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    let exited = false;
    const guard = createQuitGuard({
      busy: () => false,
      confirm: async () => true,
      dispose: async () => {
        throw new Error('database locked');
      },
      exit: () => (exited = true),
      onError: (error) => errors.push(error),
    });
    guard.beforeQuit(quitEvent());
    await settle();
    expect(exited).toBe(true);
    expect(errors.map((error) => (error as Error).message)).toEqual(['database locked']);
  });
});
