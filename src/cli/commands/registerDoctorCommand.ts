import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { checkProfileOption } from '../checkProfileOption.js';

/** Exit code of a preflight that failed: the environment is not ready for a night. */
const ENVIRONMENT_NOT_READY = 3;

/** `nightshift doctor --project DIR`: the preflight a night runs before its first task, alone. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check that a night can succeed: repository, backlog, each model role, sandbox, test runner, dependencies, the suite at HEAD, disk space')
    .requiredOption('--project <dir>', 'the git repository to check')
    .option('--models <spec>', 'model backend, as for run: local, local:FILE.gguf, openai:URL#MODEL, scripted:FILE', 'local')
    .option('--profile <id>', 'model profile for --models local')
    .addOption(new Option('--sandbox <kind>', 'where commands run, as for run (default: nightshift.json "sandbox", else auto)').choices(['auto', 'docker', 'native', 'local']))
    .option('--allow-unsandboxed', 'allow running commands loose on this machine when no sandbox is available')
    .option('--allow-failing-baseline', 'report a suite that already fails at HEAD as a warning, as run --allow-failing-baseline would')
    .option('--tasks <file>', 'backlog file to check (default: TASKS.md, or tasksFile in nightshift.json)')
    .option('--json', 'print the checklist as JSON')
    .option('--data-dir <dir>', 'where Nightshift keeps its workspaces')
    .action(async (flags: DoctorFlags) => {
      checkProfileOption({ models: flags.models, profile: flags.profile });
      const { assembleEngine } = await import('../../assembly/assembleEngine.js');
      const { formatPreflight } = await import('../../engine/preflight/formatPreflight.js');
      const { resolveDataDir } = await import('../../engine/store/resolveDataDir.js');
      const cwd = process.cwd();
      const projectDir = resolve(cwd, flags.project);
      const { engine, dispose } = await assembleEngine({
        dataDir: resolveDataDir(flags.dataDir ? { explicit: flags.dataDir } : {}),
        models: { spec: flags.models, cwd, projectDir, ...(flags.profile ? { profileId: flags.profile } : {}) },
        sandbox: {
          ...(flags.sandbox ? { preference: flags.sandbox } : {}),
          ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
          onProgress: (message) => process.stderr.write(`sandbox: ${message.trimEnd()}\n`),
        },
        // The doctor records nothing, so it never creates or locks a database.
        store: 'sqlite-on-first-use',
      });
      try {
        const report = await engine.doctor({
          projectDir,
          ...(flags.tasks ? { tasksFile: resolve(cwd, flags.tasks) } : {}),
          ...(flags.allowFailingBaseline ? { allowFailingBaseline: true } : {}),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatPreflight({ report }));
        process.exitCode = report.ok ? 0 : ENVIRONMENT_NOT_READY;
      } finally {
        await dispose();
      }
    });
}

interface DoctorFlags {
  project: string;
  models: string;
  profile?: string;
  sandbox?: 'auto' | 'docker' | 'native' | 'local';
  allowUnsandboxed?: boolean;
  allowFailingBaseline?: boolean;
  tasks?: string;
  json?: boolean;
  dataDir?: string;
}
