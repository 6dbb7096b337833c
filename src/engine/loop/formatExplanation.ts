import type { TaskExplanation } from '../ports/Store.js';

/** The explanation as text a person reads in the morning. */
export function formatExplanation(explanation: TaskExplanation): string {
  const { taskRun, session } = explanation;
  const out = [
    `Task run ${taskRun.id}: ${taskRun.spec.id} ${taskRun.spec.title}`,
    `Session ${session.id}, branch ${session.branch}`,
    `Status: ${taskRun.status}${taskRun.reason ? ` — ${taskRun.reason}` : ''}`,
  ];
  if (taskRun.commit) out.push(`Commit: ${taskRun.commit}`);
  for (const attempt of explanation.attempts) {
    out.push('', `Attempt ${attempt.number}: ${attempt.decision ?? 'unfinished'}${attempt.failureType ? ` (${attempt.failureType}, fingerprint ${attempt.fingerprint})` : ''}`);
    for (const phase of attempt.phases) out.push(`  ${phase.ok ? '✓' : '✗'} ${phase.phase.padEnd(7)} ${phase.detail.split('\n')[0] ?? ''}`);
    if (attempt.rails.length > 0) out.push('  rails:');
    for (const rail of attempt.rails) {
      const mark = rail.skipped ? '-' : rail.passed ? '✓' : '✗';
      out.push(`    ${mark} ${rail.name.padEnd(15)} ${rail.detail.split('\n')[0] ?? ''}`);
    }
    for (const call of attempt.modelCalls) {
      out.push(`  model ${call.role} ${call.model} (${call.backend}) ${call.promptId}: ${call.promptTokens}+${call.outputTokens} tokens, ${call.durationMs} ms${call.error ? `, error: ${call.error}` : ''}`);
    }
  }
  if (explanation.audit) {
    const audit = explanation.audit;
    out.push('', `Audit: ${audit.status}, decision ${audit.decision ?? 'none'}, review ${audit.reviewVerdict ?? 'none'}${audit.askVerified === null ? '' : audit.askVerified ? ' (ask verified)' : ' (ask NOT verified)'}`);
    if (audit.filesChanged.length > 0) out.push(`  files: ${audit.filesChanged.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}
