import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import type { TaskRunRecord } from '../../engine/ports/Store.js';
import { shellQuote } from '../../engine/stack/shellQuote.js';

const DEFAULT_DIR = 'nightshift-demo';

/**
 * `nightshift demo [--dir DIR] [--data-dir DIR] [--no-run]`: a first night without any download. Creates a
 * small JavaScript project (a git repository, `node --test` tests, a TASKS.md of three tasks and the
 * scripted answers its models give, good ones and one the rails refuse), runs it through `nightshift run`
 * itself with those answers, then prints a tour: status, explain for a delivered and a refused task, and
 * the branch. The sandbox is chosen as for any run, except that where none works here the demo alone
 * falls back to running the tests unsandboxed, and says so first. Exit 0 when the night ran (a refused
 * task is part of the demo), else the run's exit code.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('create a small sample project and run a short night on it with scripted answers (no model download), then show around')
    .option('--dir <dir>', 'where the sample project is created (must not exist, or be empty)', DEFAULT_DIR)
    .option('--data-dir <dir>', 'where Nightshift keeps its database, workspaces and reports')
    .option('--no-run', 'only create the project and print the command that runs its night')
    .action(async (flags: { dir: string; dataDir?: string; run: boolean }) => {
      const { createDemoProject } = await import('../createDemoProject.js');
      const { projectDir, answersPath } = createDemoProject({ dir: flags.dir });
      const dir = shellQuote(flags.dir);
      const dataDirArgs = flags.dataDir ? ['--data-dir', flags.dataDir] : [];
      const suffix = dataDirArgs.map(shellQuote).map((word) => ` ${word}`).join('');
      const runArgs = ['run', flags.dir, '--models', `scripted:${answersPath}`, ...dataDirArgs];
      const out = (text: string) => process.stdout.write(text);
      out(
        [
          `Created ${flags.dir}: a small JavaScript project (git repository, node --test tests) with three tasks in TASKS.md.`,
          `Its models are scripted: ${flags.dir}/answers.json holds every answer they give, so nothing is downloaded.`,
          'T1 is answered well; T2 first with a placeholder the rails refuse, then well; T3 with a test that asserts',
          'nothing, which the rails refuse on every attempt.',
          '',
        ].join('\n'),
      );
      if (!flags.run) {
        out(`Run its night with:\n  nightshift run ${dir} --models scripted:${dir}/answers.json${suffix}\n`);
        return;
      }
      const unsandboxed = await noSandboxWorks();
      if (unsandboxed) {
        out(
          `\nNo sandbox works on this machine (${unsandboxed}). For this demo only, the tests run UNSANDBOXED, directly on this\n` +
            'machine: they are the demo\'s own small tests. `nightshift run` never does this unless you pass --allow-unsandboxed;\n' +
            'see `nightshift sandbox doctor` for what would make a sandbox work.\n',
        );
      }
      out('\n');
      const { main } = await import('../main.js');
      const code = await main(['node', 'nightshift', ...runArgs, ...(unsandboxed ? ['--allow-unsandboxed'] : [])]);
      if (code !== 0 && code !== 1) {
        process.exitCode = code;
        return;
      }
      process.exitCode = 0;
      out(await tour({ projectDir, shownDir: dir, suffix, ...(flags.dataDir ? { dataDir: flags.dataDir } : {}) }));
    });
}

/** Why no isolating sandbox can run here, or null when one can. */
async function noSandboxWorks(): Promise<string | null> {
  const { diagnoseSandboxes } = await import('../../sandbox/native/diagnoseSandboxes.js');
  const diagnoses = await diagnoseSandboxes();
  if (diagnoses.some((entry) => entry.available && entry.kind !== 'local')) return null;
  return diagnoses
    .filter((entry) => entry.kind !== 'local')
    .map((entry) => `${entry.kind}: ${entry.reason}`)
    .join('; ');
}

/** The commands to look at the night just run, with what each shows; the branch's commits in full. */
async function tour(options: { projectDir: string; shownDir: string; suffix: string; dataDir?: string }): Promise<string> {
  const { openHost } = await import('../openHost.js');
  const host = openHost({ readOnly: true, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  try {
    const project = host.store.getProjectByPath(realpathSync(options.projectDir));
    const session = project ? host.store.listSessions({ projectId: project.id, limit: 1 })[0] : undefined;
    if (!session) return '\nThe night recorded no session; see the messages above.\n';
    const tasks = host.store.listTaskRuns(session.id);
    const delivered = tasks.find((task) => task.status === 'done');
    const refused = tasks.find((task) => task.status !== 'done' && task.status !== 'skipped' && task.status !== 'queued');
    const { shownDir: dir, suffix } = options;
    const lines = ['', 'Tour of the night:', '', `  nightshift status --project ${dir}${suffix}`, `      ${tasks.map(describe).join('; ')}`];
    if (delivered) lines.push(`  nightshift explain ${delivered.spec.id} --project ${dir}${suffix}`, `      why ${delivered.spec.id} was delivered: each attempt, rail by rail, and the review`);
    if (refused) lines.push(`  nightshift explain ${refused.spec.id} --project ${dir}${suffix}`, `      why ${refused.spec.id} was refused: ${refused.reason.split(';')[0]}`);
    const log = session.headCommit ? execFileSync('git', ['log', '--oneline', `${session.baseCommit}..${session.branch}`], { cwd: options.projectDir, encoding: 'utf8' }) : '';
    lines.push(`  git -C ${dir} log --oneline ${session.branch}`, ...log.trimEnd().split('\n').filter(Boolean).map((line) => `      ${line}`));
    lines.push(
      '',
      `Your working tree was not touched: the commits are on ${session.branch} only.`,
      `Next: read ${dir}/answers.json (the format is in the README, "Scripted answers"), then run a night on your own`,
      'project: nightshift run DIR (local models need one download first: see the README, "Local models").',
      '',
    );
    return lines.join('\n');
  } finally {
    host.dispose();
  }
}

function describe(task: TaskRunRecord): string {
  return `${task.spec.id} ${task.status}${task.attempts > 1 ? ` after ${task.attempts} attempts` : ''}`;
}
