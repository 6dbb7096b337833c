import type { FailureType } from '../../shared/failureType.js';

/** One failed attempt, as the advice reads it. */
export interface FailedAttemptSummary {
  failureType: FailureType | null;
  /** Names of the rails that failed (not skipped) in the attempt. */
  failedRails: string[];
  /** The feedback recorded for the attempt (rail and review messages). */
  feedback: string;
}

/** Advice lines returned at most: the most frequent causes first. */
const MAX_ADVICE = 3;
const FALLBACK = 'Split the task, name the files and required imports precisely, or fix the blocker by hand, then re-queue it.';

/**
 * What a human should do about a task the loop gave up on, chosen from why its attempts failed: each
 * attempt's cause (the first failed rail that says most, else its failure type) maps to one piece of
 * advice, and the causes that happened most come first. The reviewer is quoted; a model whose answers
 * never matched the schema is told apart from a change that was wrong.
 */
export function adviseHandoff(options: {
  /** The task's failed attempts, oldest first. */
  attempts: FailedAttemptSummary[];
}): string[] {
  const counts = new Map<string, { count: number; last: number; advice: string }>();
  options.attempts.forEach((attempt, index) => {
    const advice = adviceFor(attempt);
    if (advice === null) return;
    const key = advice.key;
    const entry = counts.get(key);
    counts.set(key, { count: (entry?.count ?? 0) + 1, last: index, advice: advice.text });
  });
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || b.last - a.last).map((entry) => entry.advice);
  return ranked.length === 0 ? [FALLBACK] : ranked.slice(0, MAX_ADVICE);
}

function adviceFor(attempt: FailedAttemptSummary): { key: string; text: string } | null {
  const rails = new Set(attempt.failedRails);
  if (rails.has('bite') || attempt.failureType === 'bite') {
    return {
      key: 'bite',
      text: 'The tests do not catch a broken implementation: they still passed with the new code stubbed or mutated. Say in the task which inputs and outputs the test must check (a "Test:" line), so a weak test is not enough.',
    };
  }
  if (rails.has('path-safety') || rails.has('protected-paths') || rails.has('scope') || rails.has('test-integrity') || (attempt.failureType === 'scope' && rails.size === 0)) {
    return {
      key: 'scope',
      text: 'The change touched files outside what the task allows (scope, protected paths or tests it may not edit): list the target files in the task ("Files:" line) and keep protected paths out of it.',
    };
  }
  if (rails.has('syntax') || rails.has('lint') || rails.has('typecheck')) {
    return {
      key: 'syntax',
      text: 'The code did not parse, lint or typecheck: name the modules, functions and required imports in the task so the coder does not guess the layout.',
    };
  }
  if (rails.has('stubs')) return { key: 'stubs', text: 'The code left placeholders (pass, TODO, NotImplementedError): ask for the whole behaviour in a smaller task.' };
  if (rails.has('suite')) return { key: 'suite', text: 'The change broke existing tests: say in the task which existing behaviour must stay, or split the change so each part keeps the suite green.' };
  if (rails.has('diff-size')) return { key: 'diff-size', text: 'The change was larger than maxDiffLines: split the task into smaller ones.' };
  if (attempt.failureType === 'review') {
    const quote = reviewerQuote(attempt.feedback);
    return { key: `review:${quote}`, text: `The reviewer refused the change: "${quote}". Address that in the task text, or fix it by hand.` };
  }
  if (/output was rejected before touching disk/.test(attempt.feedback)) {
    return {
      key: 'schema',
      text: "The model's answers did not match the schema: try a larger model or profile (--profile), or a server that enforces JSON schemas.",
    };
  }
  if (attempt.failureType === 'environment') {
    return {
      key: 'environment',
      text: "The attempts stopped on errors outside the model's answers (a missing tool or dependency, a script without an answer): fix what the feedback names (`nightshift doctor --project DIR` checks the environment), then re-queue the task.",
    };
  }
  if (attempt.failureType === 'timeout') return { key: 'timeout', text: 'Commands ran past commandTimeoutMs: speed up the tests the task touches, or raise commandTimeoutMs in nightshift.json.' };
  if (attempt.failureType === 'localization') {
    return { key: 'localization', text: 'The plan could not place the change: name the files ("Files:") and the test file ("Test:") in the task.' };
  }
  if (attempt.failureType === 'patch') {
    return { key: 'patch', text: 'The failing test or the code did not do what the task asks: describe the expected behaviour with concrete examples, or split the task.' };
  }
  return null;
}

/** The reviewer's first point: the NO_GO summary or the first finding, without the list markup. */
function reviewerQuote(feedback: string): string {
  const line = feedback.split('\n').find((candidate) => candidate.startsWith('- ')) ?? feedback.split('\n')[0] ?? '';
  const text = line.replace(/^- /, '').replace(/^NO_GO: /, '').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
