import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { exportAuditJsonl } from '../../engine/store/exportAuditJsonl.js';
import { CliUsageError } from '../CliUsageError.js';

/** `nightshift audit export`: the audit trail as JSON lines. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit trail of every task run');
  audit
    .command('export')
    .description('print (or write) one JSON record per task run')
    .option('--session <id>', 'only this session')
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (flags: { session?: string; output?: string; dataDir?: string }) => {
      const { openHost } = await import('../openHost.js');
      const host = openHost({ readOnly: true, ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      try {
        if (flags.session !== undefined && !host.store.getSession(flags.session)) {
          throw new CliUsageError({ message: `No session "${flags.session}".`, hint: 'Run `nightshift status` to list sessions.', context: { session: flags.session } });
        }
        const jsonl = exportAuditJsonl({ store: host.store, ...(flags.session !== undefined ? { sessionId: flags.session } : {}) });
        if (flags.output) await writeOutput(flags.output, jsonl);
        else process.stdout.write(jsonl);
      } finally {
        host.dispose();
      }
    });
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CliUsageError({ message: `Cannot write the audit trail to ${path} (${code}).`, hint: 'Check the --output path: its folder must exist and be writable.', context: { path } });
  }
}
