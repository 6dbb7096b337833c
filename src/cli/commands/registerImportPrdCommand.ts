import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { formatBacklog } from '../../engine/backlog/formatBacklog.js';
import { importPrd } from '../../engine/backlog/importPrd.js';
import { CliUsageError } from '../CliUsageError.js';

/** `nightshift import-prd`: a PRD's requirements as a TASKS.md backlog. */
export function registerImportPrdCommand(program: Command): void {
  program
    .command('import-prd')
    .description('turn a PRD (markdown, requirements as list items) into a backlog, one task per requirement')
    .argument('<prd>', 'the PRD markdown file')
    .option('--output <file>', 'write the backlog here instead of stdout (an existing file is never overwritten)')
    .action(async (prdPath: string, flags: { output?: string }) => {
      let text: string;
      try {
        text = await readFile(prdPath, 'utf8');
      } catch {
        throw new CliUsageError({ message: `Cannot read the PRD ${prdPath}.`, hint: 'Check the path.' });
      }
      const backlog = formatBacklog({ tasks: importPrd({ text, source: prdPath }) });
      if (!flags.output) {
        process.stdout.write(backlog);
        return;
      }
      if (existsSync(flags.output)) {
        throw new CliUsageError({ message: `${flags.output} already exists.`, hint: 'Choose another --output, or merge by hand.' });
      }
      await writeFile(flags.output, backlog);
    });
}
