import { describe, expect, it } from 'vitest';
import { attemptBudget } from '../../../src/engine/loop/attemptBudget.js';
import { sampleAttempt as attempt } from '../../utils/seedStore.js';

describe('attemptBudget', () => {
  it('starts at attempt 1 with the full budget', () => {
    expect(attemptBudget({ attempts: [], maxAttempts: 3 })).toEqual({ lastNumber: 0, interrupted: 0, limit: 3 });
  });

  it('counts spent attempts against the budget', () => {
    expect(attemptBudget({ attempts: [attempt(1, 'RETRY'), attempt(2, 'RETRY')], maxAttempts: 3 })).toEqual({ lastNumber: 2, interrupted: 0, limit: 3 });
  });

  it('numbers on past interrupted attempts without counting them', () => {
    const attempts = [attempt(1, 'RETRY'), attempt(2, 'INTERRUPTED'), attempt(3, 'INTERRUPTED')];
    // Two attempts left of three: numbers 4 and 5.
    expect(attemptBudget({ attempts, maxAttempts: 3 })).toEqual({ lastNumber: 3, interrupted: 2, limit: 5 });
  });
});
