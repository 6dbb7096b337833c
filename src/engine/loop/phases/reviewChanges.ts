import type { Plan } from '../../../shared/planSchema.js';
import { reviewVerdictSchema, type ReviewVerdict } from '../../../shared/reviewVerdictSchema.js';
import type { FileChange } from '../../ports/Vcs.js';
import { quoteIsInTask } from '../quoteIsInTask.js';
import { unifiedDiff } from '../unifiedDiff.js';
import { callModel } from './callModel.js';
import { formatPlan } from './formatPlan.js';
import type { PhaseOptions } from './PhaseOptions.js';
import type { PhaseResult } from './PhaseResult.js';
import { ReviewRejected } from './ReviewRejected.js';
import type { ReviewAudit } from './ReviewAudit.js';

/**
 * REVIEW: the QA model judges the gated diff. Only a GO whose quoted ask is in the task text and that has no
 * blocking finding passes; anything else fails the attempt with the findings as feedback.
 */
export async function reviewChanges(
  options: Omit<PhaseOptions, 'feedback'> & { plan: Plan; changes: FileChange[] },
): Promise<PhaseResult<{ audit: ReviewAudit }>> {
  const { ctx, taskText, attempt, plan, changes } = options;
  const verdict: ReviewVerdict = await callModel({
    ctx,
    role: 'qa',
    promptId: 'qa-review',
    phase: 'review',
    attempt,
    schema: reviewVerdictSchema,
    values: {
      task: taskText,
      plan: formatPlan(plan),
      diff: { text: unifiedDiff({ changes }), trimmable: true, priority: 1 },
      gates: 'All deterministic rails passed: path safety, protected paths, scope, syntax, lint, typecheck, test integrity, diff size, stubs, bite check, full suite.',
    },
  });
  const askVerified = quoteIsInTask({ quote: verdict.quotedAsk, taskText });
  const blocking = verdict.findings.filter((finding) => finding.severity === 'blocking');
  if (verdict.verdict === 'GO' && askVerified && blocking.length === 0) {
    return { value: { audit: { verdict: 'GO' as const, askVerified } }, detail: `GO: ${verdict.summary}` };
  }
  const demoted = verdict.verdict === 'GO';
  const problems = demoted
    ? [
        ...(askVerified ? [] : [`GO demoted: the quoted ask "${verdict.quotedAsk}" does not appear in the task text`]),
        ...blocking.map((finding) => `GO demoted by a blocking finding: ${formatFinding(finding)}`),
      ]
    : [`NO_GO: ${verdict.summary}`, ...verdict.findings.map(formatFinding)];
  const firstFile = blocking[0]?.file ?? verdict.findings[0]?.file ?? '';
  throw new ReviewRejected(
    {
      type: 'review',
      file: firstFile,
      evidence: problems[0] ?? verdict.summary,
      feedback: `Review rejected the change:\n- ${problems.join('\n- ')}`,
      keepTest: true,
    },
    { verdict: demoted ? 'DEMOTED' : 'NO_GO', askVerified },
  );
}

function formatFinding(finding: ReviewVerdict['findings'][number]): string {
  const where = finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : '';
  return `[${finding.severity}]${where} ${finding.message}`;
}
