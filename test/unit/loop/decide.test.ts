import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/shared/decision.js';
import { attemptBudget } from '../../../src/engine/loop/attemptBudget.js';
import { decide } from '../../../src/engine/loop/decide.js';
import { sampleAttempt } from '../../utils/seedStore.js';

describe('decide', () => {
  const cases: Array<{ name: string; passed: boolean; repeats: number; attempt: number; limit: number; expected: Decision }> = [
    { name: 'a passed first attempt commits', passed: true, repeats: 0, attempt: 1, limit: 3, expected: 'COMMIT' },
    { name: 'a passed last attempt commits', passed: true, repeats: 0, attempt: 3, limit: 3, expected: 'COMMIT' },
    { name: 'a passed attempt commits whatever repeats say', passed: true, repeats: 5, attempt: 2, limit: 3, expected: 'COMMIT' },
    { name: 'a first failure retries', passed: false, repeats: 1, attempt: 1, limit: 3, expected: 'RETRY' },
    { name: 'a failure seen twice still retries', passed: false, repeats: 2, attempt: 2, limit: 3, expected: 'RETRY' },
    { name: 'the third identical failure deadlocks', passed: false, repeats: 3, attempt: 3, limit: 5, expected: 'DEADLOCK' },
    { name: 'more identical failures deadlock too', passed: false, repeats: 4, attempt: 4, limit: 9, expected: 'DEADLOCK' },
    { name: 'deadlock wins over an exhausted budget', passed: false, repeats: 3, attempt: 3, limit: 3, expected: 'DEADLOCK' },
    { name: 'a new failure on the last attempt escalates', passed: false, repeats: 1, attempt: 3, limit: 3, expected: 'ESCALATE' },
    { name: 'a repeated failure on the last attempt escalates', passed: false, repeats: 2, attempt: 3, limit: 3, expected: 'ESCALATE' },
    { name: 'an attempt past the limit escalates', passed: false, repeats: 1, attempt: 4, limit: 3, expected: 'ESCALATE' },
    { name: 'a budget of one escalates its only failure', passed: false, repeats: 1, attempt: 1, limit: 1, expected: 'ESCALATE' },
  ];
  it.each(cases)('$name', ({ passed, repeats, attempt, limit, expected }) => {
    expect(decide({ passed, repeats, attempt, limit })).toBe(expected);
  });

  it('retries on the attempt an interrupted one added to the budget, and escalates on the one after', () => {
    const { limit } = attemptBudget({ attempts: [sampleAttempt(1, 'RETRY'), sampleAttempt(2, 'INTERRUPTED')], maxAttempts: 3 });
    expect(decide({ passed: false, repeats: 1, attempt: 3, limit })).toBe('RETRY');
    expect(decide({ passed: false, repeats: 1, attempt: 4, limit })).toBe('ESCALATE');
  });
});
