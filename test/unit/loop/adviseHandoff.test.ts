import { describe, expect, it } from 'vitest';
import { adviseHandoff, type FailedAttemptSummary } from '../../../src/engine/loop/adviseHandoff.js';

const attempt = (failureType: FailedAttemptSummary['failureType'], failedRails: string[] = [], feedback = ''): FailedAttemptSummary => ({ failureType, failedRails, feedback });

describe('adviseHandoff', () => {
  it.each([
    ['a bite failure', [attempt('bite', ['bite'])], /^The tests do not catch a broken implementation/],
    ['a scope rail', [attempt('scope', ['scope'])], /outside what the task allows.*list the target files/],
    ['protected paths', [attempt('scope', ['protected-paths'])], /outside what the task allows/],
    ['path safety', [attempt('scope', ['path-safety'])], /outside what the task allows/],
    ['a syntax rail', [attempt('patch', ['syntax'])], /did not parse, lint or typecheck.*required imports/],
    ['a lint rail', [attempt('patch', ['lint'])], /did not parse, lint or typecheck/],
    ['stubs', [attempt('patch', ['stubs'])], /placeholders/],
    ['the suite', [attempt('patch', ['suite'])], /broke existing tests/],
    ['the diff size', [attempt('scope', ['diff-size'])], /larger than maxDiffLines/],
    ['GREEN editing a test', [attempt('scope')], /outside what the task allows/],
    ['invalid model output', [attempt('patch', [], 'Your plan output was rejected before touching disk: not JSON. Reply with JSON matching the schema only.')], /did not match the schema: try a larger model/],
    ['an environment failure', [attempt('environment')], /fix what the feedback names/],
    ['a timeout', [attempt('timeout')], /commandTimeoutMs/],
    ['a localization failure', [attempt('localization')], /name the files/],
    ['a plain patch failure', [attempt('patch')], /concrete examples/],
  ])('%s gets its own advice', (_name, attempts, expected) => {
    const advice = adviseHandoff({ attempts });
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatch(expected);
  });

  it('quotes the reviewer', () => {
    const feedback = 'Review rejected the change:\n- NO_GO: divide returns an int for 7/2\n- [blocking] (calc/divide.py:2) floor division';
    expect(adviseHandoff({ attempts: [attempt('review', [], feedback)] })).toEqual([
      'The reviewer refused the change: "divide returns an int for 7/2". Address that in the task text, or fix it by hand.',
    ]);
  });

  it('puts the most frequent cause first and keeps at most three', () => {
    const advice = adviseHandoff({
      attempts: [attempt('patch', ['syntax']), attempt('bite', ['bite']), attempt('bite', ['bite']), attempt('timeout'), attempt('environment')],
    });
    expect(advice).toHaveLength(3);
    expect(advice[0]).toMatch(/^The tests do not catch/);
    // Ties go to the most recent cause.
    expect(advice[1]).toMatch(/fix what the feedback names/);
    expect(advice[2]).toMatch(/commandTimeoutMs/);
  });

  it('falls back to the general advice without failed attempts', () => {
    expect(adviseHandoff({ attempts: [attempt(null)] })).toEqual([expect.stringMatching(/^Split the task/)]);
  });
});
