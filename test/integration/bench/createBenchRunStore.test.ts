import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBenchRunStore, type BenchRunRecord } from '../../../src/bench/createBenchRunStore.js';
import type { BenchLevelResult } from '../../../src/shared/BenchLevelResult.js';
import { makeTempDir } from '../../utils/makeTempDir.js';

const result = (levelId: string, rails: 'on' | 'off', committed: number): BenchLevelResult => ({
  levelId,
  rails,
  sessionId: `s-${levelId}-${rails}`,
  wallMs: 1000,
  tasks: [],
  committed,
  total: 2,
  hiddenPassed: committed,
  hiddenTotal: 2,
  firstRunPassRate: committed / 2,
  attemptsPerTask: 1,
  deadlocks: 0,
  escalations: 0,
  falseGo: 0,
  failuresByType: {},
  failuresByRail: {},
  time: { modelMs: 500, testsMs: 400, harnessMs: 100 },
  harnessOverheadPerAttempt: { median: 0.01, max: 0.02 },
  tokens: {},
  environmentError: null,
});

describe('createBenchRunStore', () => {
  it('keeps runs across reopening, in level, rails and repeat order, and lists them newest first', () => {
    const path = join(makeTempDir(), 'data', 'nightshift.db');
    const store = createBenchRunStore({ dbPath: path });
    const record = (runId: string, startedAt: number, levelId: string, rails: 'on' | 'off', repeatIndex: number): BenchRunRecord => ({
      runId, startedAt, models: 'scripted:x.json', rails, levelId, repeatIndex, result: result(levelId, rails, repeatIndex),
    });
    store.save(record('a', 1, 'L3', 'off', 0));
    store.save(record('a', 1, 'L3', 'on', 1));
    store.save(record('a', 1, 'L3', 'on', 0));
    store.save(record('a', 1, 'L2', 'on', 0));
    store.save(record('b', 2, 'L2', 'on', 0));
    store.dispose();
    const reopened = createBenchRunStore({ dbPath: path });
    expect(reopened.getRun('a').map((row) => `${row.levelId} ${row.rails} ${row.repeatIndex}`)).toEqual(['L2 on 0', 'L3 on 0', 'L3 on 1', 'L3 off 0']);
    expect(reopened.getRun('a')[2]!.result).toEqual(result('L3', 'on', 1));
    expect(reopened.getRun('nope')).toEqual([]);
    expect(reopened.listRuns()).toEqual([
      { runId: 'b', startedAt: 2, models: 'scripted:x.json', levels: ['L2'], rails: ['on'], repeats: 1 },
      { runId: 'a', startedAt: 1, models: 'scripted:x.json', levels: ['L3', 'L2'], rails: ['off', 'on'], repeats: 2 },
    ]);
    reopened.dispose();
  });
});
