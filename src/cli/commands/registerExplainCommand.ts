import type { Command } from 'commander';
import { formatExplanation } from '../../engine/loop/formatExplanation.js';
import { CliUsageError } from '../CliUsageError.js';

/** `nightshift explain <task-run-id>`: why a task was committed or refused, rail by rail. */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description('why a task run was committed or refused, attempt by attempt and rail by rail')
    .argument('<task-run-id>', 'the number shown in brackets by `nightshift status`')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (id: string, flags: { json?: boolean; dataDir?: string }) => {
      const taskRunId = /^\d+$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isSafeInteger(taskRunId) || taskRunId < 1) {
        throw new CliUsageError({ message: `"${id}" is not a task run id.`, hint: 'Task run ids are the numbers `nightshift status` shows in brackets.' });
      }
      const { openHost } = await import('../openHost.js');
      const host = openHost({ readOnly: true, ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
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
