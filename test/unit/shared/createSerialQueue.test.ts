import { describe, expect, it } from 'vitest';
import { createSerialQueue } from '../../../src/shared/createSerialQueue.js';

/** A promise with its resolve exposed, so a test decides when a task finishes. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createSerialQueue', () => {
  it('runs tasks under one key one at a time, in the order they were queued', async () => {
    const queue = createSerialQueue<string>();
    const log: string[] = [];
    const first = gate();
    const a = queue.run({ key: 'coder', work: async () => { log.push('a start'); await first.promise; log.push('a end'); return 'a'; } });
    const b = queue.run({ key: 'coder', work: () => { log.push('b'); return 'b'; } });
    const c = queue.run({ key: 'coder', work: async () => { log.push('c'); return 'c'; } });
    await tick();
    expect(log).toEqual(['a start']);
    first.open();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('runs tasks under different keys independently', async () => {
    const queue = createSerialQueue<string>();
    const blocked = gate();
    const log: string[] = [];
    const slow = queue.run({ key: 'coder', work: async () => { await blocked.promise; log.push('coder'); } });
    await queue.run({ key: 'reviewer', work: () => { log.push('reviewer'); } });
    expect(log).toEqual(['reviewer']);
    blocked.open();
    await slow;
    expect(log).toEqual(['reviewer', 'coder']);
  });

  it('lets the next task run after a task rejects, and passes the rejection to its caller', async () => {
    const queue = createSerialQueue<string>();
    const failing = queue.run({ key: 'k', work: async () => { throw new Error('boom'); } });
    const next = queue.run({ key: 'k', work: () => 'next' });
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('a synchronous throw in work rejects only that task', async () => {
    const queue = createSerialQueue<number>();
    const failing = queue.run({ key: 1, work: () => { throw new Error('sync'); } });
    await expect(failing).rejects.toThrow('sync');
    await expect(queue.run({ key: 1, work: () => 2 })).resolves.toBe(2);
  });

  it('gives up waiting when the signal aborts, without letting later tasks overtake earlier ones', async () => {
    const queue = createSerialQueue<string>();
    const first = gate();
    const log: string[] = [];
    const a = queue.run({ key: 'k', work: async () => { await first.promise; log.push('a'); } });
    const controller = new AbortController();
    let ranB = false;
    const b = queue.run({ key: 'k', signal: controller.signal, work: () => { ranB = true; } });
    const c = queue.run({ key: 'k', work: () => { log.push('c'); } });
    controller.abort(new Error('cancelled'));
    await expect(b).rejects.toThrow('cancelled');
    await tick();
    expect(log).toEqual([]);
    first.open();
    await Promise.all([a, c]);
    expect(log).toEqual(['a', 'c']);
    expect(ranB).toBe(false);
  });

  it('rejects at once with an already aborted signal', async () => {
    const queue = createSerialQueue<string>();
    const controller = new AbortController();
    controller.abort(new Error('early'));
    await expect(queue.run({ key: 'k', signal: controller.signal, work: () => 1 })).rejects.toThrow('early');
    await expect(queue.run({ key: 'k', work: () => 2 })).resolves.toBe(2);
  });
});
