import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskStatus } from '../../shared/taskStatus.js';
import type { SessionRecord, TaskExplanation, TaskRunRecord } from '../ports/Store.js';
import { adviseHandoff } from './adviseHandoff.js';

/**
 * Writes the markdown a human picks up in the morning for a task the loop gave up on: what was asked,
 * every attempt with its failing rails and feedback, the last diff tried, and next steps chosen from why
 * the attempts failed (adviseHandoff). Returns its path and that advice.
 */
export async function writeHandoffReport(options: {
  /** Reports directory from the data dir. */
  dir: string;
  session: SessionRecord;
  taskRun: TaskRunRecord;
  status: TaskStatus;
  reason: string;
  explanation: TaskExplanation | null;
  /** Unified diff of the last attempt's change, empty when none got that far. */
  lastDiff: string;
}): Promise<{ path: string; advice: string[] }> {
  const { taskRun, session } = options;
  const lines = [
    `# Handoff: ${taskRun.spec.id} ${taskRun.spec.title}`,
    '',
    `- Session: ${session.id} (branch \`${session.branch}\`)`,
    `- Task run: ${taskRun.id} (\`nightshift explain ${taskRun.id}\`)`,
    `- Status: **${options.status}**: ${options.reason}`,
    '',
    '## The task',
    '',
    taskRun.spec.description.trim() || '(no description)',
    '',
    '## Attempts',
  ];
  for (const attempt of options.explanation?.attempts ?? []) {
    lines.push('', `### Attempt ${attempt.number}: ${attempt.decision ?? 'unfinished'}${attempt.failureType ? ` (${attempt.failureType}, ${attempt.fingerprint})` : ''}`);
    for (const phase of attempt.phases) lines.push(`- ${phase.phase}: ${phase.ok ? 'ok' : 'failed'}: ${firstLine(phase.detail)}`);
    const failed = attempt.rails.filter((rail) => !rail.passed && !rail.skipped);
    if (failed.length > 0) lines.push(`- failing rails: ${failed.map((rail) => rail.name).join(', ')}`);
    if (attempt.feedback) lines.push('', '```text', attempt.feedback.slice(0, 4000), '```');
  }
  if (options.lastDiff) lines.push('', '## Last diff tried', '', '```diff', options.lastDiff.slice(0, 20_000), '```');
  const advice = adviseHandoff({
    attempts: (options.explanation?.attempts ?? [])
      .filter((attempt) => attempt.failureType !== null)
      .map((attempt) => ({
        failureType: attempt.failureType,
        failedRails: attempt.rails.filter((rail) => !rail.passed && !rail.skipped).map((rail) => rail.name),
        feedback: attempt.feedback,
      })),
  });
  lines.push('', '## Next steps', '', ...advice.map((line) => `- ${line}`), '');
  const dir = join(options.dir, session.id);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${taskRun.id}-${taskRun.spec.id}.md`);
  await writeFile(path, lines.join('\n'));
  return { path, advice };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
