import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { exportAuditJsonl } from '../../engine/store/exportAuditJsonl.js';

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
      const host = openHost(flags.dataDir ? { dataDir: flags.dataDir } : {});
      try {
        const jsonl = exportAuditJsonl({ store: host.store, ...(flags.session ? { sessionId: flags.session } : {}) });
        if (flags.output) await writeFile(flags.output, jsonl);
        else process.stdout.write(jsonl);
      } finally {
        host.dispose();
      }
    });
}
