import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreflightCheck } from '../preflight/PreflightCheck.js';
import type { SessionRecord, TaskRunRecord } from '../ports/Store.js';

/**
 * Writes the markdown a human reads in the morning when the environment failed mid-session and did not
 * come back in time, and returns its path: what failed, what was tried, what to fix, and how to resume.
 */
export async function writeBlockedReport(options: {
  /** Reports directory from the data dir. */
  dir: string;
  session: SessionRecord;
  /** The task that was running, left queued. */
  taskRun: TaskRunRecord;
  /** What failed first, in one sentence. */
  reason: string;
  /** What to do about it. */
  fix: string;
  /** The last re-check that failed, when one ran. */
  lastCheck: PreflightCheck | null;
  /** Re-checks made. */
  tries: number;
  /** When the session paused and gave up, epoch milliseconds. */
  since: number;
  gaveUpAt: number;
  /** Tasks still queued, this one included. */
  queued: TaskRunRecord[];
}): Promise<string> {
  const { session, taskRun } = options;
  const minutes = Math.round((options.gaveUpAt - options.since) / 60_000);
  const lines = [
    `# Blocked: session ${session.id}`,
    '',
    `- Branch: \`${session.branch}\`${session.headCommit ? ` at ${session.headCommit.slice(0, 12)}` : ' (nothing delivered yet)'}`,
    `- Paused at ${new Date(options.since).toISOString()} during ${taskRun.spec.id} ${taskRun.spec.title} (run ${taskRun.id}); gave up after ${minutes} min and ${options.tries} re-check(s).`,
    '',
    '## What failed',
    '',
    options.reason,
    '',
  ];
  if (options.lastCheck) {
    lines.push('## Last re-check', '', `${options.lastCheck.title}: ${options.lastCheck.status}`, '', '```text', options.lastCheck.detail.slice(0, 8000), '```', '');
  }
  lines.push(
    '## Next steps',
    '',
    `1. ${options.fix || 'Fix the environment named above.'}`,
    '2. Check it with `nightshift doctor --project <dir>` (same --models and --sandbox as the run).',
    '3. Run the same `nightshift run` command again: the session resumes from the queued task. The interrupted attempt did not count against its budget.',
    '',
    '## Still queued',
    '',
    ...options.queued.map((task) => `- ${task.spec.id} ${task.spec.title}`),
    '',
  );
  const dir = join(options.dir, session.id);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'blocked.md');
  await writeFile(path, lines.join('\n'));
  return path;
}
