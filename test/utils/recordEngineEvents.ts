import type { EngineEvent } from '../../src/shared/engineEventSchema.js';

/**
 * Keeps every event `subscribe` delivers, in order, and waits for one: the first already seen or still to come
 * that `accept` takes, failing after `timeoutMs` (default 180 000 ms, a scripted session's worst case) with the
 * event types seen so far.
 */
export function recordEngineEvents(options: {
  /** Registers the listener, e.g. `(listener) => host.onEvent(listener)`. */
  subscribe: (listener: (event: EngineEvent) => void) => unknown;
}): {
  events: EngineEvent[];
  waitFor<T extends EngineEvent>(accept: (event: EngineEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(accept: (event: EngineEvent) => boolean, timeoutMs?: number): Promise<EngineEvent>;
} {
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  options.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter();
  });
  const waitFor = (accept: (event: EngineEvent) => boolean, timeoutMs = 180_000): Promise<EngineEvent> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(accept);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event in ${timeoutMs} ms; seen: ${events.map((event) => event.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { events, waitFor: waitFor as ReturnType<typeof recordEngineEvents>['waitFor'] };
}
