import { existsSync } from 'node:fs';
import { cp, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { Sandbox, SandboxResult } from '../../shared/sandbox/Sandbox.js';
import type { SandboxPreference } from '../../sandbox/native/chooseSandbox.js';
import { detectStack } from '../../engine/stack/detectStack.js';
import { MissingTestCommandError } from '../../engine/stack/MissingTestCommandError.js';
import type { StackProfile } from '../../shared/StackProfile.js';
import { loadProjectConfig } from '../../engine/stack/loadProjectConfig.js';
import { shellQuote } from '../../engine/stack/shellQuote.js';
import { CliUsageError } from '../CliUsageError.js';

const KINDS: SandboxPreference[] = ['auto', 'docker', 'native', 'local'];

const UNKNOWN_STACK: StackProfile = { name: 'custom', testCommand: 'true', testFileCommand: () => 'true', isTestFile: () => false, sourceLanguage: 'unknown', runner: null };

/**
 * `nightshift sandbox`: `doctor` (which sandboxes work here and why not) and `run` (a command in a throwaway
 * copy of a project, sandboxed as a session would be). Returns the group so other parts can add subcommands.
 */
export function registerSandboxCommand(program: Command): Command {
  const group = program.command('sandbox').description('check and try the sandboxes that run project commands');

  group
    .command('doctor')
    .description('say which sandboxes can run on this machine, and what is missing for the others (exit 1 when none isolates)')
    .option('--json', 'print the diagnosis as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { diagnoseSandboxes } = await import('../../sandbox/native/diagnoseSandboxes.js');
      const diagnoses = await diagnoseSandboxes();
      if (flags.json) process.stdout.write(`${JSON.stringify(diagnoses, null, 2)}\n`);
      else for (const entry of diagnoses) process.stdout.write(`${entry.available ? '✓' : '✗'} ${entry.kind.padEnd(13)} ${entry.reason}\n`);
      process.exitCode = diagnoses.some((entry) => entry.available && entry.kind !== 'local') ? 0 : 1;
    });

  group
    .command('run')
    .description(
      'run a command in a throwaway copy of a project (without .git; dependency folders linked read-only) and print the result; ' +
        'one argument is a shell command, several are quoted and joined. Exit 0 when it exits 0, else 1.',
    )
    .requiredOption('--project <dir>', 'the project whose files are copied')
    .option('--kind <kind>', `sandbox: ${KINDS.join(', ')} (default: "sandbox" in nightshift.json, else auto)`)
    .option('--allow-unsandboxed', 'permit the unsandboxed local runner for this run, as "allowUnsandboxed" in nightshift.json does')
    .option('--timeout <seconds>', 'wall-clock limit (default: commandTimeoutMs in nightshift.json)', (value) => positiveNumber(value, '--timeout'))
    .option('--json', 'print the result as JSON')
    .argument('<command...>', 'the command, after --')
    .action(async (words: string[], flags: RunFlags) => {
      const { createSandboxFactory } = await import('../../sandbox/createSandboxFactory.js');
      if (flags.kind !== undefined && !KINDS.includes(flags.kind as SandboxPreference)) {
        throw new CliUsageError({ message: `Unknown sandbox kind "${flags.kind}".`, hint: `Use one of: ${KINDS.join(', ')}.` });
      }
      const project = resolve(flags.project);
      if (!existsSync(project)) throw new CliUsageError({ message: `The project directory ${flags.project} does not exist.`, hint: 'Check the --project path.' });
      const config = await loadProjectConfig({ root: project });
      const command = words.length === 1 ? (words[0] ?? '') : words.map(shellQuote).join(' ');
      const scratch = await mkdtemp(join(tmpdir(), 'nightshift-sandbox-run-'));
      try {
        const workspaceDir = join(scratch, 'ws');
        const linked = config.linkDirs.filter((dir) => existsSync(join(project, dir)));
        await copyProject(project, workspaceDir, linked);
        // Links name the real folders, which is what a sandbox mounts, so they resolve inside it too.
        const readOnlyDirs = await Promise.all(linked.map((dir) => realpath(join(project, dir))));
        for (const [index, dir] of linked.entries()) await symlink(readOnlyDirs[index]!, join(workspaceDir, dir), 'dir');
        const stack = await detectStack({ root: workspaceDir, config }).catch((error: unknown) => {
          // A project without tests still gets a sandbox; only Docker's image choice reads the stack.
          if (error instanceof MissingTestCommandError) return UNKNOWN_STACK;
          throw error;
        });
        const passedOver: Array<{ kind: string; reason: string }> = [];
        // The same policy a session uses, so what works here works in a run.
        const sandbox = await createSandboxFactory({
          ...(flags.kind ? { preference: flags.kind as SandboxPreference } : {}),
          ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
          onPassedOver: (entries) => passedOver.push(...entries),
        })({ sessionId: `sandbox-run-${process.pid}`, workspaceDir, stack, config, readOnlyDirs });
        try {
          const result = await sandbox.run({
            command,
            workspaceDir,
            timeoutMs: flags.timeout !== undefined ? flags.timeout * 1000 : config.commandTimeoutMs,
            outputLimitBytes: config.outputLimitBytes,
          });
          if (flags.json) process.stdout.write(`${JSON.stringify({ sandbox: sandbox.kind, isolated: sandbox.isolated, passedOver, ...result }, null, 2)}\n`);
          else printResult(sandbox, passedOver, result);
          process.exitCode = result.outcome === 'exited' && result.exitCode === 0 ? 0 : 1;
        } finally {
          await sandbox.dispose();
        }
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });

  return group;
}

interface RunFlags {
  project: string;
  kind?: string;
  allowUnsandboxed?: boolean;
  timeout?: number;
  json?: boolean;
}

/** Copies the project's files, leaving out .git and the dependency folders that are linked instead. */
async function copyProject(project: string, workspaceDir: string, linked: string[]): Promise<void> {
  const skipped = ['.git', ...linked].map((dir) => join(project, dir));
  await cp(project, workspaceDir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !skipped.some((dir) => source === dir || source.startsWith(`${dir}${sep}`)),
  });
}

function printResult(sandbox: Sandbox, passedOver: Array<{ kind: string; reason: string }>, result: SandboxResult): void {
  for (const entry of passedOver) process.stderr.write(`nightshift: not using ${entry.kind}: ${entry.reason}\n`);
  const write = (text: string) => process.stdout.write(text);
  write(`sandbox:   ${sandbox.kind}${sandbox.isolated ? '' : ' (UNSANDBOXED)'}\n`);
  write(`outcome:   ${result.outcome}${result.exitCode !== null ? `, exit code ${result.exitCode}` : ''}${result.signal ? `, signal ${result.signal}` : ''}, ${result.durationMs} ms\n`);
  write(`limit hit: ${result.limitHit ?? 'none'}${result.truncated ? ' (output truncated)' : ''}\n`);
  if (result.stdout) write(`--- stdout ---\n${result.stdout}${result.stdout.endsWith('\n') ? '' : '\n'}`);
  if (result.stderr) write(`--- stderr ---\n${result.stderr}${result.stderr.endsWith('\n') ? '' : '\n'}`);
}

function positiveNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new CliUsageError({ message: `${flag} must be a positive number of seconds.`, hint: `For example ${flag} 30.` });
  return number;
}
