import { describe, expect, it } from 'vitest';
import { createPowerGuard, type PowerSaveBlocker } from '../../../src/main/createPowerGuard.js';
import type { SessionControlState } from '../../../src/shared/sessionControlStateSchema.js';
import { sampleControlState } from '../../utils/sampleControlState.js';

const controlState = (overrides: Partial<SessionControlState> = {}) => sampleControlState({ projectPath: '/home/dev/calculator', overrides });

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
    guard.update([controlState()]);
    expect(guard.active).toBe(false);
    guard.update([controlState({ state: 'starting' })]);
    guard.update([controlState({ state: 'running' })]);
    guard.update([controlState({ state: 'restarting' }), controlState({ projectPath: '/b', state: 'running' })]);
    expect(guard.active).toBe(true);
    expect(blocker.calls).toEqual(['start prevent-app-suspension']);
    guard.update([controlState({ state: 'stopping' })]);
    guard.update([controlState({ state: 'idle' })]);
    expect(guard.active).toBe(false);
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(blocker.held.size).toBe(0);
  });

  it('keeps a scheduled session awake for its start time but lets a paused one sleep', () => {
    const blocker = fakeBlocker();
    const guard = createPowerGuard({ blocker });
    guard.update([controlState({ state: 'scheduled', startsAt: 1 })]);
    expect(guard.active).toBe(true);
    guard.update([controlState({ state: 'paused' })]);
    expect(guard.active).toBe(false);
    guard.update([controlState({ state: 'running' })]);
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1', 'start prevent-app-suspension']);
  });

  it('releases the blocker on dispose, once', () => {
    const blocker = fakeBlocker();
    const guard = createPowerGuard({ blocker });
    guard.update([controlState({ state: 'running' })]);
    guard.dispose();
    guard.dispose();
    expect(blocker.calls).toEqual(['start prevent-app-suspension', 'stop 1']);
    expect(guard.active).toBe(false);
  });
});
