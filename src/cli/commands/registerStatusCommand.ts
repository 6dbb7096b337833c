import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { projectLocksDir } from '../../engine/lock/projectLocksDir.js';
import type { SessionRecord, Store } from '../../engine/ports/Store.js';
import { CliUsageError } from '../CliUsageError.js';
import { parsePositiveInt } from '../parsePositiveInt.js';

/** `nightshift status`: recent sessions, or one session's tasks. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show recent sessions and their tasks')
    .option('--project <dir>', 'only sessions of this project')
    .addOption(new Option('--session <id>', 'show one session in detail').conflicts(['project', 'limit']))
    .option('--limit <n>', 'how many sessions to list', (value) => parsePositiveInt({ value, flag: '--limit' }), 10)
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its database')
    .action(async (flags: { project?: string; session?: string; limit: number; json?: boolean; dataDir?: string }) => {
      const { openHost } = await import('../openHost.js');
      const host = openHost({ readOnly: true, ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) });
      try {
        const { observeSessionStatus } = await import('../../engine/lock/observeSessionStatus.js');
        const locksDir = projectLocksDir({ dataDir: host.dataDir });
        const sessions = await Promise.all(pickSessions(host.store, flags).map((session) => observeSessionStatus({ session, store: host.store, locksDir })));
        const detailed = sessions.map((session) => ({ session, tasks: host.store.listTaskRuns(session.id) }));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(detailed, null, 2)}\n`);
          return;
        }
        if (detailed.length === 0) {
          process.stdout.write('No sessions yet. Start one with: nightshift run <project-dir> --models scripted:FILE\n');
          return;
        }
        for (const { session, tasks } of detailed) {
          const started = new Date(session.startedAt).toISOString().replace('T', ' ').slice(0, 16);
          process.stdout.write(`${session.id}  ${session.status.padEnd(9)} ${started}  ${session.branch}${session.headCommit ? ` @ ${session.headCommit.slice(0, 12)}` : ''}\n`);
          if (session.reason) process.stdout.write(`  ${session.reason}\n`);
          for (const task of tasks) {
            process.stdout.write(`  [${String(task.id).padStart(4)}] ${task.spec.id.padEnd(10)} ${task.status.padEnd(10)} ${task.spec.title}${task.reason ? ` — ${task.reason}` : ''}\n`);
          }
        }
      } finally {
        host.dispose();
      }
    });
}

function pickSessions(store: Store, flags: { project?: string; session?: string; limit: number }): SessionRecord[] {
  if (flags.session) {
    const session = store.getSession(flags.session);
    if (!session) {
      throw new CliUsageError({ message: `No session "${flags.session}".`, hint: 'Run `nightshift status` to list sessions.' });
    }
    return [session];
  }
  const { limit } = flags;
  if (!flags.project) return store.listSessions({ limit });
  let path: string;
  try {
    path = realpathSync(resolve(flags.project));
  } catch {
    throw new CliUsageError({ message: `No such project folder: ${flags.project}.`, hint: 'Pass the repository root you ran Nightshift on.' });
  }
  const project = store.getProjectByPath(path);
  return project ? store.listSessions({ projectId: project.id, limit }) : [];
}
