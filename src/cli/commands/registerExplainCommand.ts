import type { Command } from 'commander';
import type { TaskExplanation } from '../../engine/ports/Store.js';
import { CliUsageError } from '../CliUsageError.js';
import { openHost } from '../openHost.js';

/** `nightshift explain <task-run-id>`: why a task was committed or refused, rail by rail. */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('why a task run was committed or refused, attempt by attempt and rail by rail')
    .argument('<task-run-id>', 'the number shown in brackets by `nightshift status`')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action((id: string, flags: { json?: boolean; dataDir?: string }) => {
      const taskRunId = Number(id);
      if (!Number.isInteger(taskRunId) || taskRunId < 1) {
        throw new CliUsageError({ message: `"${id}" is not a task run id.`, hint: 'Task run ids are the numbers `nightshift status` shows in brackets.' });
      }
      const host = openHost(flags.dataDir ? { dataDir: flags.dataDir } : {});
      try {
        const explanation = host.store.explain(taskRunId);
        if (!explanation) {
          throw new CliUsageError({ message: `No task run ${taskRunId}.`, hint: 'Run `nightshift status` to list task runs.' });
        }
        process.stdout.write(flags.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
      } finally {
        host.dispose();
      }
    });
}

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
