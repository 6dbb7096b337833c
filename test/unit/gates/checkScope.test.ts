import { describe, expect, it } from 'vitest';
import { checkScope } from '../../../src/engine/gates/checkScope.js';

describe('checkScope', () => {
  const scope = { plannedFiles: ['src/calc.py'], testFiles: ['tests/test_calc.py'] };

  it('allows planned modifications, test changes and new files', () => {
    const rail = checkScope({
      ...scope,
      changes: [
        { path: './src/calc.py', before: 'a', after: 'b' },
        { path: 'tests/test_calc.py', before: 'a', after: 'b' },
        { path: 'src/helpers.py', before: null, after: 'new' },
      ],
    });
    expect(rail).toMatchObject({ name: 'scope', passed: true });
  });

  it('refuses modifying or deleting an unplanned existing file', () => {
    const rail = checkScope({
      ...scope,
      changes: [
        { path: 'src/calc.py', before: 'a', after: 'b' },
        { path: 'src/other.py', before: 'a', after: 'b' },
        { path: 'README.md', before: 'a', after: null },
      ],
    });
    expect(rail).toMatchObject({ passed: false, failureType: 'scope', file: 'src/other.py' });
    expect(rail.detail).toContain('src/other.py is modified but is not in the plan');
    expect(rail.detail).toContain('README.md is deleted but is not in the plan');
  });
});
