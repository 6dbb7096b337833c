import { describe, expect, it } from 'vitest';
import { createPowerGuard, type PowerSaveBlocker } from '../../../src/main/createPowerGuard.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

/** Records what the guard asks of Electron's powerSaveBlocker, handing out fresh ids like it does. */
function fakeBlocker(): PowerSaveBlocker & { held: Set<number>; calls: string[] } {
  let next = 1;
  const held = new Set<number>();
  const calls: string[] = [];
  return {
    held,
    calls,
    start(type) {
      calls.push(`start ${type}`);
      held.add(next);
      return next++;
    },
    stop(id) {
      calls.push(`stop ${id}`);
      if (!held.delete(id)) throw new Error(`stopped blocker ${id}, which is not held`);
    },
  };
}

describe('createPowerGuard', () => {
  it('holds one prevent-app-suspension blocker while a session runs and releases it when it ends', () => {
    const blocker = fakeBlocker();
    const guard = createPowerGuard({ blocker });
    guard.update([sampleControlState()]);
    expect(guard.active).toBe(false);
    guard.update([sampleControlState({ state: 'starting' })]);
    guard.update([sampleControlState({ state: 'running' })]);
    guard.update([sampleControlState({ state: 'restarting' }), sampleControlState({ projectPath: '/b', state: 'running' })]);
    expect(guard.active).toBe(true);
    expect(blocker.calls).toEqual(['start prevent-app-suspension']);
    guard.update([sampleControlState({ state: 'stopping' })]);
    guard.update([sampleControlState({ state: 'idle' })]);
    expect(guard.active).toBe(false);
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(blocker.held.size).toBe(0);
  });

  it('keeps a scheduled session awake for its start time but lets a paused one sleep', () => {
    const blocker = fakeBlocker();
    const guard = createPowerGuard({ blocker });
    guard.update([sampleControlState({ state: 'scheduled', startsAt: 1 })]);
    expect(guard.active).toBe(true);
    guard.update([sampleControlState({ state: 'paused' })]);
    expect(guard.active).toBe(false);
    guard.update([sampleControlState({ state: 'running' })]);
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1', 'start prevent-app-suspension']);
  });

  it('releases the blocker on dispose, once', () => {
    const blocker = fakeBlocker();
    const guard = createPowerGuard({ blocker });
    guard.update([sampleControlState({ state: 'running' })]);
    guard.dispose();
    guard.dispose();
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(guard.active).toBe(false);
  });
});
