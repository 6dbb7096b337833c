import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { parseBacklog } from '../../engine/backlog/parseBacklog.js';
import { BacklogDeliveredError } from '../../engine/loop/BacklogDeliveredError.js';
import { taskSpecSchema } from '../../shared/taskSpecSchema.js';
import { checkProfileOption } from '../checkProfileOption.js';
import { closedOutput } from '../closedOutput.js';
import { CliUsageError } from '../CliUsageError.js';
import { createProgressPrinter } from '../createProgressPrinter.js';
import { formatPreflight } from '../../engine/preflight/formatPreflight.js';
import { parsePositiveInt } from '../parsePositiveInt.js';
import { parseUntil } from '../parseUntil.js';

/** Exit code of a night the environment stopped: preflight failed, or an outage outlasted the wait. */
const ENVIRONMENT_NOT_READY = 3;

/** `nightshift run <project-dir>`: the overnight loop over a backlog. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the backlog of a project: each task ends as a gated commit on nightshift/<session>, or refused with a reason')
    .argument('<project-dir>', 'the git repository to work on')
    .option('--tasks <file>', 'backlog file (default: TASKS.md, or tasksFile in nightshift.json)')
    .option('--task <title>', 'a task given on the command line instead of a backlog (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--max-tasks <n>', 'start at most N tasks in this run', (value) => parsePositiveInt({ value, flag: '--max-tasks' }))
    .option('--until <HH:MM>', 'start no new task after this local time')
    .option('--models <spec>', 'model backend: local (default: the memory-tier profile), local:FILE.gguf, openai:URL#MODEL, scripted:FILE', 'local')
    .option('--profile <id>', 'model profile for --models local (default: the largest tier that fits this machine)')
    .addOption(new Option('--sandbox <kind>', 'where commands run (default: nightshift.json "sandbox", else auto: Docker, then the native sandbox)').choices(['auto', 'docker', 'native', 'local']))
    .option('--allow-unsandboxed', 'allow running commands loose on this machine when no sandbox is available (shown as a warning on every run)')
    .option('--direct <branch>', 'fast-forward this branch (must not be checked out) instead of nightshift/<session>')
    .option('--no-resume', 'start a new session even if the last one did not finish')
    .option('--again', 'also run tasks that earlier sessions already delivered unchanged (default: skip them, naming where they went)')
    .option('--allow-failing-baseline', 'start even when the test suite already fails at HEAD; the suite rail then refuses only new failures')
    .option('--json', 'print engine events as JSON lines instead of the live display')
    .option('--data-dir <dir>', 'where Nightshift keeps its database, workspaces and reports')
    .action(async (projectDir: string, flags: RunFlags) => {
      checkProfileOption({ models: flags.models, profile: flags.profile });
      if (flags.tasks && flags.task.length > 0) {
        throw new CliUsageError({ message: 'Give either --tasks FILE or --task, not both.', hint: 'Put every task in the backlog file, or pass them all with --task.' });
      }
      const until = flags.until === undefined ? undefined : parseUntil({ value: flags.until, now: Date.now() });
      const { assembleEngine } = await import('../../assembly/assembleEngine.js');
      const { resolveDataDir } = await import('../../engine/store/resolveDataDir.js');
      const cwd = process.cwd();
      const { engine, dispose } = await assembleEngine({
        dataDir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}),
        models: { spec: flags.models, cwd, projectDir: resolve(cwd, projectDir), ...(flags.profile ? { profileId: flags.profile } : {}) },
        sandbox: {
          ...(flags.sandbox ? { preference: flags.sandbox } : {}),
          ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
          onProgress: (message) => process.stderr.write(`sandbox: ${message.trimEnd()}\n`),
        },
      });
      const controller = new AbortController();
      const onSignal = () => {
        process.stderr.write('\nStopping after the current step; run the same command again to resume.\n');
        controller.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const print = flags.json
        ? (event: unknown) => process.stdout.write(`${JSON.stringify(event)}\n`)
        : createProgressPrinter({ write: (text) => process.stdout.write(text), tty: process.stdout.isTTY === true });
      try {
        const tasks = flags.tasks
          ? await readTasks(resolve(cwd, flags.tasks), flags.tasks)
          : flags.task.length > 0
            ? flags.task.map((title, index) => taskSpecSchema.parse({ id: `cli-${index + 1}`, title, description: title }))
            : undefined;
        const outcome = await engine.runSession({
          projectDir: resolve(cwd, projectDir),
          ...(tasks ? { tasks } : {}),
          ...(flags.maxTasks !== undefined ? { maxTasks: flags.maxTasks } : {}),
          ...(until !== undefined ? { until } : {}),
          ...(flags.direct ? { mode: 'direct' as const, targetBranch: flags.direct } : {}),
          resume: flags.resume,
          ...(flags.again ? { again: true } : {}),
          ...(flags.allowFailingBaseline ? { allowFailingBaseline: true } : {}),
          onEvent: print,
          signal: controller.signal,
        }).catch((error: unknown) => {
          if (!(error instanceof BacklogDeliveredError)) throw error;
          // Nothing left to do is a success: say what was delivered where, and start nothing.
          process.stdout.write(flags.json ? `${JSON.stringify({ type: 'log', at: Date.now(), level: 'info', message: error.message })}\n` : `${error.message}\n  ${error.hint}\n`);
          return null;
        });
        if (outcome === null) return;
        if (closedOutput.isClosed(process.stdout)) {
          process.stderr.write(`nightshift: the output closed mid-run; the session ran on and is recorded: nightshift status --session ${outcome.session.id}\n`);
        }
        process.exitCode = outcome.tasks.every((task) => task.status === 'done' || (task.status === 'skipped' && task.commit !== null)) ? 0 : 1;
        if (outcome.blocked) {
          if (outcome.preflight && !outcome.preflight.ok) process.stderr.write(formatPreflight({ report: outcome.preflight }));
          process.stderr.write(`nightshift: the environment is not ready; session ${outcome.session.id} is blocked:\n  ${outcome.blocked.reason.split('\n').join('\n  ')}\n`);
          process.exitCode = ENVIRONMENT_NOT_READY;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await dispose();
      }
    });
}

interface RunFlags {
  tasks?: string;
  task: string[];
  maxTasks?: number;
  until?: string;
  models: string;
  profile?: string;
  sandbox?: 'auto' | 'docker' | 'native' | 'local';
  allowUnsandboxed?: boolean;
  direct?: string;
  resume: boolean;
  again?: boolean;
  allowFailingBaseline?: boolean;
  json?: boolean;
  dataDir?: string;
}

async function readTasks(path: string, source: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliUsageError({ message: `Cannot read the backlog file ${path}.`, hint: 'Check the --tasks path.', context: { path } });
  }
  return parseBacklog({ text, source });
}
