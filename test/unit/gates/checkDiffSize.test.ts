import { describe, expect, it } from 'vitest';
import { checkDiffSize } from '../../../src/engine/gates/checkDiffSize.js';

const lines = (count: number, prefix = 'line') => Array.from({ length: count }, (_, index) => `${prefix} ${index}\n`).join('');

describe('checkDiffSize', () => {
  it('counts added plus removed lines across files', () => {
    const rail = checkDiffSize({
      maxDiffLines: 10,
      changes: [
        { path: 'a.py', before: 'keep\nold\n', after: 'keep\nnew\n' },
        { path: 'b.py', before: null, after: lines(3) },
        { path: 'c.py', before: lines(2), after: null },
      ],
    });
    expect(rail).toMatchObject({ name: 'diff-size', passed: true, detail: '7 changed lines (+4 -3), limit 10' });
  });

  it('passes exactly at the limit and fails one line over, naming the largest file', () => {
    expect(checkDiffSize({ maxDiffLines: 5, changes: [{ path: 'a.py', before: null, after: lines(5) }] }).passed).toBe(true);
    const rail = checkDiffSize({
      maxDiffLines: 5,
      changes: [
        { path: 'small.py', before: null, after: lines(1) },
        { path: 'big.py', before: null, after: lines(5) },
      ],
    });
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: 'big.py' });
    expect(rail.detail).toContain('6 changed lines (+6 -0), limit 5');
  });
});
