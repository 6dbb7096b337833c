import { expect } from 'vitest';
import type { BenchLevelResult } from '../../src/shared/BenchLevelResult.js';
import type { BenchLevelRunner } from './createBenchLevelRunner.js';

/**
 * Runs a level with its oracle answers, rails on, and asserts what perfect answers must give: every task
 * committed on its first attempt (a refusal names the task and the rail: a harness defect), every hidden test
 * passing, no false GO. Returns the result for level-specific checks.
 */
export async function expectBenchOracle(options: {
  runner: BenchLevelRunner;
  /** The level's task count. */
  committed: number;
  /** The level's hidden tests, counted independently of level.json's declaration. */
  hiddenTotal: number;
}): Promise<BenchLevelResult> {
  const result = await options.runner.run({ answers: 'oracle', rails: 'on' });
  expect(result.environmentError).toBeNull();
  for (const task of result.tasks) {
    expect(task.firstAttempt, `${task.taskId} was not committed on attempt 1: refused by ${task.refusedBy} after ${task.attempts} attempt(s)`).toBe(true);
    expect(task.hidden?.failed, `${task.taskId}'s hidden tests failed:\n${task.hidden?.output}`).toBe(0);
  }
  expect(result.committed).toBe(options.committed);
  expect(result.hiddenTotal).toBe(options.hiddenTotal);
  expect(result.hiddenPassed).toBe(options.hiddenTotal);
  expect(result.falseGo).toBe(0);
  return result;
}
