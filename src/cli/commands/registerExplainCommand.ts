import type { Command } from 'commander';
import { formatExplanation } from '../../engine/loop/formatExplanation.js';
import { CliUsageError } from '../CliUsageError.js';
import { findProjectTaskRun } from '../findProjectTaskRun.js';

/**
 * `nightshift explain <task-run-id>` or `nightshift explain <task-id> --project DIR`: why a task was
 * committed or refused, rail by rail.
 */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('why a task run was committed or refused, attempt by attempt and rail by rail')
    .argument('<task-run>', 'the number shown in brackets by `nightshift status`; with --project, the task id from the backlog (e.g. T3)')
    .option('--project <dir>', 'read <task-run> as a task id of the latest session on this project that has it')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (id: string, flags: { project?: string; json?: boolean; dataDir?: string }) => {
      const taskRunId = /^\d+$/.test(id) ? Number(id) : Number.NaN;
      if (flags.project === undefined && (!Number.isSafeInteger(taskRunId) || taskRunId < 1)) {
        throw new CliUsageError({
          message: `"${id}" is not a task run id.`,
          hint: `Task run ids are the numbers \`nightshift status\` shows in brackets; for a backlog task id add the project: nightshift explain ${id} --project DIR.`,
        });
      }
      const { openHost } = await import('../openHost.js');
      const host = openHost({ readOnly: true, ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      try {
        const explanation = host.store.explain(
          flags.project === undefined ? taskRunId : findProjectTaskRun({ store: host.store, projectDir: flags.project, taskId: id }).id,
        );
        if (!explanation) {
          throw new CliUsageError({ message: `No task run ${taskRunId}.`, hint: 'Run `nightshift status` to list task runs.' });
        }
        process.stdout.write(flags.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
      } finally {
        host.dispose();
      }
    });
}
