import { describe, expect, it } from 'vitest';
import type { TaskRunRecord } from '../../../src/engine/ports/Store.js';
import type { TaskStatus } from '../../../src/shared/taskStatus.js';
import { findFailedDependency } from '../../../src/engine/loop/findFailedDependency.js';
import { sampleSpec } from '../../utils/seedStore.js';

const run = (id: string, status: TaskStatus, dependsOn: string[] = [], ordinal = 0): TaskRunRecord => ({
  id: ordinal + 1,
  sessionId: 's1',
  ordinal,
  spec: sampleSpec(id, { dependsOn }),
  status,
  reason: '',
  attempts: 0,
  commit: null,
  startedAt: null,
  endedAt: null,
});

describe('findFailedDependency', () => {
  it('is null when every dependency delivered', () => {
    const all = [run('T1', 'done'), run('T2', 'queued', ['T1'], 1)];
    expect(findFailedDependency({ all, taskRun: all[1]! })).toBeNull();
  });

  it('names a direct dependency and how it ended', () => {
    const all = [run('T1', 'deadlocked'), run('T2', 'queued', ['T1'], 1)];
    const found = findFailedDependency({ all, taskRun: all[1]! });
    expect(found?.root.spec.id).toBe('T1');
    expect(found?.via).toEqual([]);
    expect(found?.reason).toBe('dependency T1 ended deadlocked');
  });

  it('names the root task through a chain of skipped dependencies', () => {
    const all = [run('T1', 'deadlocked'), run('T2', 'skipped', ['T1'], 1), run('T3', 'skipped', ['T2'], 2), run('T4', 'queued', ['T3'], 3)];
    expect(findFailedDependency({ all, taskRun: all[2]! })?.reason).toBe('dependency T1 ended deadlocked (via T2)');
    const found = findFailedDependency({ all, taskRun: all[3]! });
    expect(found?.root.spec.id).toBe('T1');
    expect(found?.via.map((task) => task.spec.id)).toEqual(['T3', 'T2']);
    expect(found?.reason).toBe('dependency T1 ended deadlocked (via T3, T2)');
  });

  it('passes over delivered dependencies to the one that failed', () => {
    const all = [run('T1', 'done'), run('T2', 'escalated', [], 1), run('T3', 'queued', ['T1', 'T2'], 2)];
    expect(findFailedDependency({ all, taskRun: all[2]! })?.reason).toBe('dependency T2 ended escalated');
  });

  it('stops at a skipped task with no failed dependency of its own', () => {
    const lone = [run('T1', 'skipped'), run('T2', 'queued', ['T1'], 1)];
    expect(findFailedDependency({ all: lone, taskRun: lone[1]! })?.reason).toBe('dependency T1 ended skipped');
  });
});
